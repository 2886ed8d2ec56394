using System.Net.Mail;
using System.Text.Json.Serialization;
using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Auth;

public sealed record SignupRequest(string? Email, string? Password, string? Name, string? ReferralCode);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>The body of the internal lasting-token exchange.</summary>
public sealed record LastingTokenRequest(string? RefreshToken, int? LifetimeSeconds);

public sealed record PasswordResetRequest(string? Email);

public sealed record PasswordResetCheckRequest(string? Email, string? Code);

/// <summary>Whether a reset code would be accepted now.</summary>
public sealed record PasswordResetCheckResponse(bool Valid);

public sealed record PasswordResetConfirmRequest(string? Email, string? Code, string? NewPassword);

public sealed record VerifyEmailRequest(string? Email, string? Code);

/// <summary>
/// The OAuth2 token response; <c>refresh_token</c> is left out when it travels in the HttpOnly cookie instead
/// (<see cref="RefreshCookie"/>).
/// </summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);

public sealed record SignupResponse(UserResponse User, TokenResponse Tokens);

/// <summary>The rules every email and password follows.</summary>
public static class CredentialRules
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 128;
    public const int MaxEmailLength = 254;

    /// <summary>Trimmed and lower-cased: the form emails are stored, compared and looked up in.</summary>
    public static string NormalizeEmail(string? email) => (email ?? "").Trim().ToLowerInvariant();

    public static void CheckEmail(FieldErrors errors, string normalizedEmail, string field = "email") =>
        errors.When(normalizedEmail.Length == 0, field, "An email is required.")
            .When(normalizedEmail.Length > 0 && !IsEmail(normalizedEmail), field, "The email is not a valid address.");

    public static void CheckNewPassword(FieldErrors errors, string? password, string normalizedEmail, string field = "password")
    {
        if (string.IsNullOrEmpty(password))
        {
            errors.Add(field, "A password is required.");
            return;
        }

        errors.When(password.Length is < MinPasswordLength or > MaxPasswordLength, field,
                $"The password must be {MinPasswordLength} to {MaxPasswordLength} characters.")
            .When(string.Equals(password.Trim(), normalizedEmail, StringComparison.OrdinalIgnoreCase), field,
                "The password must not be the email.");
    }

    /// <summary>
    /// Whether two addresses reach the same mailbox as far as referrals are concerned: the local part without its
    /// <c>+tag</c> and without dots (what Gmail and others ignore), on the same domain.
    /// </summary>
    public static bool SameMailbox(string first, string second) => Mailbox(first) == Mailbox(second);

    private static string Mailbox(string email)
    {
        var normalized = NormalizeEmail(email);
        var at = normalized.LastIndexOf('@');
        if (at < 0)
        {
            return normalized;
        }

        var local = normalized[..at];
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return (plus >= 0 ? local[..plus] : local).Replace(".", "", StringComparison.Ordinal) + normalized[at..];
    }

    private static bool IsEmail(string email) =>
        email.Length <= MaxEmailLength
        && MailAddress.TryCreate(email, out var address)
        && address.Address == email
        && address.Host.Contains('.', StringComparison.Ordinal);
}
