using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MimeKit;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Users;
using WearIt.ApiService.Mail;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Proves that an account's address is its owner's: sign-up mails a six-digit code and a one-click link; either
/// verifies. Only then are the starter credits granted, the referral paid (to a verified referrer, at most
/// <see cref="CreditsOptions.MaxReferrals"/> times, never for the referrer's own address in another spelling) and
/// admin rights given. Every step after the check is idempotent, so a verification interrupted halfway is completed
/// by the next one.
/// </summary>
public sealed partial class EmailVerificationService(
    IUserRepository users,
    CreditsService credits,
    ResetCodes codes,
    AdminEmails admins,
    MailOutbox mail,
    IOptions<AuthOptions> authOptions,
    IOptions<MailOptions> mailOptions,
    IOptions<CreditsOptions> creditsOptions,
    AuthMetrics metrics,
    TimeProvider time,
    ILogger<EmailVerificationService> logger)
{
    private const string CodePurpose = "verify-email";
    private const string LinkPurpose = "verify-email-link";

    private AuthOptions Options => authOptions.Value;

    /// <summary>Issues a new code and link (the old ones stop working) and queues the mail; false when mail is full.</summary>
    public async Task<bool> SendAsync(Guid userId, CancellationToken cancellationToken)
    {
        var code = ResetCodes.Generate();
        var linkToken = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var user = await users.UpdateAsync(userId, stored => stored.EmailVerification = new EmailVerificationCode
        {
            CodeHash = codes.Hash(stored.Id, CodePurpose, code),
            LinkTokenHash = codes.Hash(stored.Id, LinkPurpose, linkToken),
            ExpiresAt = time.GetUtcNow().UtcDateTime.Add(Options.VerificationLifetime),
        }, cancellationToken);
        var queued = mail.TryEnqueue(Message(user, code, linkToken));
        if (queued)
        {
            LogSent(logger, user.Id);
        }

        return queued;
    }

    /// <summary>Mails a new code to a signed-in user whose address is not verified yet.</summary>
    public async Task ResendAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId, cancellationToken) ?? throw DomainException.NotFound("The account");
        if (user.EmailVerifiedAt is not null)
        {
            throw new DomainException(ErrorKind.Conflict, "email_already_verified", "This address is already verified.");
        }

        if (!await SendAsync(userId, cancellationToken))
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, "mail_unavailable", "Mail cannot be sent right now; try again later.");
        }
    }

    /// <summary>Verifies with the mailed code; an unknown email answers like a wrong code.</summary>
    public async Task VerifyCodeAsync(VerifyEmailRequest request, CancellationToken cancellationToken)
    {
        var email = CredentialRules.NormalizeEmail(request.Email);
        var errors = new FieldErrors();
        CredentialRules.CheckEmail(errors, email);
        errors.When(string.IsNullOrWhiteSpace(request.Code), "code", "The code is required.");
        errors.ThrowIfAny();

        // A verified account keeps its used code: the same code again answers as the first time did, any other code
        // like a wrong one (so nobody learns from the answer that an address has a verified account).
        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user?.EmailVerification is not { } pending || (user.EmailVerifiedAt is null && pending.ExpiresAt <= time.GetUtcNow().UtcDateTime))
        {
            throw InvalidCode();
        }

        if (!codes.Matches(user.Id, CodePurpose, request.Code!.Trim(), pending.CodeHash))
        {
            if (user.EmailVerifiedAt is not null)
            {
                throw InvalidCode();
            }

            await users.UpdateAsync(user.Id, stored =>
            {
                if (stored.EmailVerification is null)
                {
                    return;
                }

                stored.EmailVerification.FailedAttempts++;
                if (stored.EmailVerification.FailedAttempts >= Options.MaxVerificationAttempts)
                {
                    stored.EmailVerification = null;
                }
            }, cancellationToken);
            throw InvalidCode();
        }

        await CompleteAsync(user.Id, cancellationToken);
    }

    /// <summary>Verifies with the mailed link; false when the link is wrong, used up or expired.</summary>
    public async Task<bool> VerifyLinkAsync(Guid userId, string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || await users.FindByIdAsync(userId, cancellationToken) is not { } user)
        {
            return false;
        }

        if (user.EmailVerification is not { } pending
            || (user.EmailVerifiedAt is null && pending.ExpiresAt <= time.GetUtcNow().UtcDateTime)
            || !codes.Matches(user.Id, LinkPurpose, token, pending.LinkTokenHash))
        {
            return false;
        }

        await CompleteAsync(user.Id, cancellationToken);
        return true;
    }

    private async Task CompleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var firstTime = false;
        var user = await users.UpdateAsync(userId, stored =>
        {
            firstTime = stored.EmailVerifiedAt is null;
            stored.EmailVerifiedAt ??= now;
            stored.Role = admins.RoleFor(stored);
        }, cancellationToken);

        await credits.GrantAsync(user.Id, CreditsService.SignupBonus, "signup_bonus", "signup", cancellationToken);
        var referred = await PayReferralAsync(user, cancellationToken);
        if (firstTime)
        {
            metrics.Record("email_verified");
            LogVerified(logger, user.Id, referred);
        }
    }

    /// <summary>Pays the referral once per invitee, when it counts; whether it did.</summary>
    private async Task<bool> PayReferralAsync(User invitee, CancellationToken cancellationToken)
    {
        if (invitee.ReferredBy is not { } referrerId
            || await users.FindByIdAsync(referrerId, cancellationToken) is not { EmailVerifiedAt: not null } referrer
            || CredentialRules.SameMailbox(referrer.Email, invitee.Email))
        {
            return false;
        }

        // Invitees verifying at once all write the referrer: more attempts than a user's own edits need.
        var counts = false;
        await users.UpdateAsync(referrerId, maxAttempts: 25, stored =>
        {
            counts = stored.RewardedReferrals.Contains(invitee.Id);
            if (!counts && stored.RewardedReferrals.Count < creditsOptions.Value.MaxReferrals)
            {
                stored.RewardedReferrals.Add(invitee.Id);
                counts = true;
            }
        }, cancellationToken);
        if (!counts)
        {
            LogReferralCapped(logger, referrerId);
            return false;
        }

        var key = $"referral:{invitee.Id:N}";
        await credits.GrantAsync(invitee.Id, CreditsService.ReferralBonus, "referral_bonus", key, cancellationToken);
        await credits.GrantAsync(referrerId, CreditsService.ReferralBonus, "referral_bonus", key, cancellationToken);
        return true;
    }

    private MimeMessage Message(User user, string code, string linkToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mailOptions.Value.From));
        message.To.Add(new MailboxAddress(user.Name, user.Email));
        message.Subject = "Verify your WearIt email address";
        var link = mailOptions.Value.LinkBaseUrl is { Length: > 0 } linkBase
            ? $"\n\nOr open this link: {linkBase.TrimEnd('/')}{EmailVerificationEndpoints.LinkPath}?user={user.Id:N}&token={linkToken}"
            : "";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Hello {user.Name},

                Your WearIt verification code is {code}. It expires in {Options.VerificationLifetime.TotalHours:0} hours.{link}

                Your starter credits arrive as soon as the address is verified. If you did not sign up for WearIt, ignore this message.
                """,
        };
        return message;
    }

    private static DomainException InvalidCode() =>
        new(ErrorKind.Validation, "verification_code_invalid", "The code is wrong, used or expired. Ask for a new one.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification mail queued for user {UserId}")]
    private static partial void LogSent(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} verified their email (referral paid: {Referred})")]
    private static partial void LogVerified(ILogger logger, Guid userId, bool referred);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referrer {UserId} reached the referral limit; no bonus paid")]
    private static partial void LogReferralCapped(ILogger logger, Guid userId);
}
