using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using WearIt.ApiService.Features.Users;
using WearIt.ApiService.Mail;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Sign-up, login, token refresh, logout and password reset.</summary>
/// <remarks>A sign-up starts unverified with no credits; <see cref="EmailVerificationService"/> grants them.</remarks>
public sealed partial class AuthService(
    IUserRepository users,
    IRefreshTokenRepository refreshTokens,
    PasswordHashing passwords,
    PasswordCheck passwordCheck,
    LoginThrottle throttle,
    EmailVerificationService verification,
    AdminEmails admins,
    TokenIssuer tokens,
    SessionEnder sessions,
    ResetCodes resetCodes,
    MailOutbox mail,
    IOptions<AuthOptions> authOptions,
    IOptions<MailOptions> mailOptions,
    AuthMetrics metrics,
    TimeProvider time,
    ILogger<AuthService> logger)
{
    private const string ReferralAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private AuthOptions Options => authOptions.Value;

    public async Task<SignupResponse> SignupAsync(SignupRequest request, CancellationToken cancellationToken)
    {
        var email = CredentialRules.NormalizeEmail(request.Email);
        var errors = new FieldErrors();
        CredentialRules.CheckEmail(errors, email);
        CredentialRules.CheckNewPassword(errors, request.Password, email);
        ProfileRules.CheckName(errors, request.Name);
        User? referrer = null;
        if (!string.IsNullOrWhiteSpace(request.ReferralCode))
        {
            referrer = await users.FindByReferralCodeAsync(request.ReferralCode.Trim().ToUpperInvariant(), cancellationToken);
            errors.When(referrer is null || CredentialRules.SameMailbox(referrer.Email, email), "referralCode", "The referral code is not valid.");
        }

        errors.ThrowIfAny();

        var user = new User
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            Name = request.Name!.Trim(),
            PasswordHash = passwords.Hash(request.Password!),
            Role = Roles.User,
            ReferredBy = referrer?.Id,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await InsertWithUniqueReferralCodeAsync(user, cancellationToken);

        // A full mail queue does not undo the account: the user asks for the code again once mail flows.
        if (!await verification.SendAsync(user.Id, cancellationToken))
        {
            LogVerificationMailDropped(logger, user.Id);
        }

        metrics.Record("signup");
        LogSignedUp(logger, user.Id, referrer is not null);
        return new SignupResponse(UserResponse.From(user), await tokens.StartSessionAsync(user, cancellationToken));
    }

    /// <summary>
    /// Checks the password under the <see cref="LoginThrottle"/>. An unknown email and a wrong password answer the
    /// same status and body, take the same steps (one user lookup, one KDF run, one attempt write) and are throttled
    /// alike, so neither the answer nor its timing tells whether an account exists.
    /// </summary>
    public async Task<TokenResponse> LoginAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var normalized = CredentialRules.NormalizeEmail(email);
        var user = normalized.Length == 0 ? null : await users.FindByEmailAsync(normalized, cancellationToken);
        try
        {
            if (!await passwordCheck.VerifyAsync(normalized, user?.PasswordHash, password, cancellationToken) || user is null)
            {
                metrics.Record("login_failed");
                LogLoginFailed(logger, user?.Id);
                throw InvalidCredentials();
            }
        }
        catch (DomainException ex) when (ex.Code == "login_throttled")
        {
            metrics.Record("login_throttled");
            throw;
        }

        metrics.Record("login_succeeded");
        LogLoggedIn(logger, user.Id);
        return await tokens.StartSessionAsync(await WithCurrentRoleAsync(user, cancellationToken), cancellationToken);
    }

    /// <summary>Rotates a refresh token; a token used twice revokes its whole family.</summary>
    public async Task<TokenResponse> RefreshAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var (stored, user) = await UseRefreshTokenAsync(refreshToken, cancellationToken);
        return await tokens.IssueAsync(user, stored.FamilyId, stored.SessionStart, cancellationToken);
    }

    /// <summary>
    /// Trades a refresh token, used up, for one access token of its session that lives <paramref name="lifetime"/> (at
    /// most <see cref="JwtOptions.LongestAccessTokenLifetime"/>, never past the session's end) and comes with no refresh
    /// token: for a client that cannot refresh, on whose behalf a WearIt service (the gateway's mobile API) logged in.
    /// The session stays a session: logout, a password change or reset and account deletion end this token too.
    /// </summary>
    public async Task<TokenResponse> IssueLastingTokenAsync(string? refreshToken, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > JwtOptions.LongestAccessTokenLifetime)
        {
            throw DomainException.Validation(new Dictionary<string, string[]>
            {
                ["lifetimeSeconds"] = [$"The lifetime must be 1 to {JwtOptions.LongestAccessTokenLifetime.TotalSeconds:0} seconds."],
            });
        }

        var (stored, user) = await UseRefreshTokenAsync(refreshToken, cancellationToken);
        var left = stored.SessionStart + Options.SessionLifetime - time.GetUtcNow().UtcDateTime;
        return tokens.IssueAccessToken(user, stored.FamilyId, TimeSpan.FromSeconds(Math.Floor((left < lifetime ? left : lifetime).TotalSeconds)));
    }

    /// <summary>Marks a live refresh token used and returns it with its user (current role); a token used twice ends its session.</summary>
    private async Task<(RefreshToken Stored, User User)> UseRefreshTokenAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            throw InvalidRefreshToken();
        }

        var hash = TokenIssuer.HashRefreshToken(refreshToken);
        var stored = await refreshTokens.FindAsync(hash, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (stored is null || stored.RevokedAt is not null)
        {
            throw InvalidRefreshToken();
        }

        if (now - stored.SessionStart >= Options.SessionLifetime)
        {
            throw new DomainException(ErrorKind.Unauthorized, "session_expired", "This session is past its lifetime; log in again.");
        }

        if (stored.ExpiresAt <= now)
        {
            throw InvalidRefreshToken();
        }

        if (stored.RotatedAt is not null || !await refreshTokens.TryMarkRotatedAsync(hash, now, cancellationToken))
        {
            // The session ends as a whole, tokens issued in the race included: its sid is refused from now on.
            await sessions.EndSessionAsync(stored.UserId, stored.FamilyId, cancellationToken);
            await refreshTokens.RevokeFamilyAsync(stored.FamilyId, now, cancellationToken);
            metrics.Record("refresh_reused");
            LogRefreshReuse(logger, stored.UserId, stored.FamilyId);
            throw new DomainException(ErrorKind.Unauthorized, "refresh_token_reused",
                "This refresh token was already used; the session has been ended. Log in again.");
        }

        // A session ended meanwhile (its reuse detected by a racing request, a logout elsewhere) issues nothing.
        if (await sessions.EndedAsync(stored.UserId, stored.FamilyId, stored.CreatedAt, cancellationToken))
        {
            throw InvalidRefreshToken();
        }

        // The role is read again, so a change of it reaches the next access token.
        var user = await users.FindByIdAsync(stored.UserId, cancellationToken) ?? throw InvalidRefreshToken();
        return (stored, await WithCurrentRoleAsync(user, cancellationToken));
    }

    /// <summary>
    /// Ends the session the refresh token belongs to, or without one the session of the caller's access token (a client
    /// holding a lasting token only); an unknown token is already logged out.
    /// </summary>
    public async Task LogoutAsync(string? refreshToken, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(refreshToken))
        {
            if (await refreshTokens.FindAsync(TokenIssuer.HashRefreshToken(refreshToken), cancellationToken) is { } stored)
            {
                await EndSessionAsync(stored.UserId, stored.FamilyId, cancellationToken);
            }

            return;
        }

        if (Guid.TryParse(caller.FindFirst("sub")?.Value, out var userId) && Guid.TryParse(caller.FindFirst(TokenIssuer.SessionClaim)?.Value, out var familyId))
        {
            await EndSessionAsync(userId, familyId, cancellationToken);
        }
    }

    private async Task EndSessionAsync(Guid userId, Guid familyId, CancellationToken cancellationToken)
    {
        await sessions.EndSessionAsync(userId, familyId, cancellationToken);
        await refreshTokens.RevokeFamilyAsync(familyId, time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Mails a reset code if the account exists; the caller answers 202 either way.</summary>
    public async Task RequestPasswordResetAsync(PasswordResetRequest request, CancellationToken cancellationToken)
    {
        var email = CredentialRules.NormalizeEmail(request.Email);
        var errors = new FieldErrors();
        CredentialRules.CheckEmail(errors, email);
        errors.ThrowIfAny();

        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user is null)
        {
            return;
        }

        var code = ResetCodes.Generate();
        await users.UpdateAsync(user.Id, stored => stored.PasswordReset = new PasswordResetCode
        {
            CodeHash = resetCodes.Hash(stored.Id, ResetCodes.PasswordReset, code),
            ExpiresAt = time.GetUtcNow().UtcDateTime.Add(Options.ResetCodeLifetime),
        }, cancellationToken);

        if (!mail.TryEnqueue(ResetMessage(user, code)))
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, "mail_unavailable", "Mail cannot be sent right now; try again later.");
        }

        metrics.Record("reset_requested");
        LogResetRequested(logger, user.Id);
    }

    /// <summary>Sets a new password with a valid code, then ends every session of the account.</summary>
    public async Task ConfirmPasswordResetAsync(PasswordResetConfirmRequest request, CancellationToken cancellationToken)
    {
        var email = CredentialRules.NormalizeEmail(request.Email);
        var errors = new FieldErrors();
        CredentialRules.CheckEmail(errors, email);
        errors.When(string.IsNullOrWhiteSpace(request.Code), "code", "The code is required.");
        CredentialRules.CheckNewPassword(errors, request.NewPassword, email, "newPassword");
        errors.ThrowIfAny();

        var user = await FindByResetCodeAsync(email, request.Code!, cancellationToken) ?? throw InvalidResetCode();
        var now = time.GetUtcNow().UtcDateTime;
        var newHash = passwords.Hash(request.NewPassword!);
        await users.UpdateAsync(user.Id, stored =>
        {
            stored.PasswordHash = newHash;
            stored.PasswordReset = null;
        }, cancellationToken);
        await throttle.RecordSuccessAsync(email, cancellationToken);
        await sessions.EndAllSessionsAsync(user.Id, keepFamilyId: null, cancellationToken);
        await refreshTokens.RevokeAllForUserAsync(user.Id, keepFamilyId: null, now, cancellationToken);
        metrics.Record("reset_completed");
        LogPasswordReset(logger, user.Id);
    }

    /// <summary>
    /// Whether a reset code is the account's current one, without using it up (a client checks it before asking for the
    /// new password). A wrong code counts toward the attempts that burn it, as a wrong code at confirmation does; an
    /// unknown email is simply not valid.
    /// </summary>
    public async Task<bool> CheckPasswordResetCodeAsync(PasswordResetCheckRequest request, CancellationToken cancellationToken)
    {
        var email = CredentialRules.NormalizeEmail(request.Email);
        var errors = new FieldErrors();
        CredentialRules.CheckEmail(errors, email);
        errors.When(string.IsNullOrWhiteSpace(request.Code), "code", "The code is required.");
        errors.ThrowIfAny();

        return await FindByResetCodeAsync(email, request.Code!, cancellationToken) is not null;
    }

    /// <summary>The account whose live reset code this is, or null; a wrong code is counted and burns the code at the limit.</summary>
    private async Task<User?> FindByResetCodeAsync(string email, string code, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email, cancellationToken);
        if (user?.PasswordReset is not { } reset || reset.ExpiresAt <= time.GetUtcNow().UtcDateTime)
        {
            return null;
        }

        if (resetCodes.Matches(user.Id, ResetCodes.PasswordReset, code.Trim(), reset.CodeHash))
        {
            return user;
        }

        await users.UpdateAsync(user.Id, stored =>
        {
            if (stored.PasswordReset is null)
            {
                return;
            }

            stored.PasswordReset.FailedAttempts++;
            if (stored.PasswordReset.FailedAttempts >= Options.MaxResetCodeAttempts)
            {
                stored.PasswordReset = null;
            }
        }, cancellationToken);
        return null;
    }

    /// <summary>The user with the role the configuration gives now (admin rights only for a verified address), stored when it changed.</summary>
    private async Task<User> WithCurrentRoleAsync(User user, CancellationToken cancellationToken)
    {
        var role = admins.RoleFor(user);
        return role == user.Role ? user : await users.UpdateAsync(user.Id, stored => stored.Role = admins.RoleFor(stored), cancellationToken);
    }

    private async Task InsertWithUniqueReferralCodeAsync(User user, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            user.ReferralCode = RandomNumberGenerator.GetString(ReferralAlphabet, 8);
            if (await users.TryInsertAsync(user, cancellationToken))
            {
                return;
            }

            if (await users.FindByEmailAsync(user.Email, cancellationToken) is not null)
            {
                throw new DomainException(ErrorKind.Conflict, "email_taken", "An account with this email already exists.");
            }
        }

        throw new DomainException(ErrorKind.Conflict, "referral_code_collision", "Could not allocate a referral code; try again.");
    }

    private MimeMessage ResetMessage(User user, string code)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mailOptions.Value.From));
        message.To.Add(new MailboxAddress(user.Name, user.Email));
        message.Subject = "Your WearIt password reset code";
        message.Body = new TextPart("plain")
        {
            Text = $"""
                Hello {user.Name},

                Your WearIt password reset code is {code}. It works once and expires in {Options.ResetCodeLifetime.TotalMinutes:0} minutes.

                If you did not ask to reset your password, ignore this message; your password has not changed.
                """,
        };
        return message;
    }

    private static DomainException InvalidCredentials() =>
        new(ErrorKind.Unauthorized, "invalid_credentials", "The email or password is wrong.");

    private static DomainException InvalidRefreshToken() =>
        new(ErrorKind.Unauthorized, "invalid_refresh_token", "The refresh token is not valid. Log in again.");

    private static DomainException InvalidResetCode() =>
        new(ErrorKind.Validation, "reset_code_invalid", "The code is wrong, used or expired. Request a new one.");

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed up (referred: {Referred})")]
    private static partial void LogSignedUp(ILogger logger, Guid userId, bool referred);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} logged in")]
    private static partial void LogLoggedIn(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Login failed for user {UserId}")]
    private static partial void LogLoginFailed(ILogger logger, Guid? userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The verification mail of user {UserId} was not queued (mail queue full)")]
    private static partial void LogVerificationMailDropped(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh token reuse for user {UserId}; session {SessionId} revoked")]
    private static partial void LogRefreshReuse(ILogger logger, Guid userId, Guid sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset requested for user {UserId}")]
    private static partial void LogResetRequested(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset for user {UserId}; all sessions revoked")]
    private static partial void LogPasswordReset(ILogger logger, Guid userId);
}
