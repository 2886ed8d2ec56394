namespace WearIt.ApiService.Features.Users;

/// <summary>A WearIt account as stored.</summary>
public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>Trimmed and lower-cased; unique.</summary>
    public string Email { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>The slow-KDF hash of the password (ASP.NET Core Identity's PBKDF2 format).</summary>
    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = Roles.User;

    /// <summary>Free-form style preferences, such as <c>fit: relaxed</c>.</summary>
    public Dictionary<string, string> StylePreferences { get; set; } = [];

    /// <summary>The code this user gives friends; unique.</summary>
    public string ReferralCode { get; set; } = "";

    /// <summary>The user whose referral code this user signed up with.</summary>
    public Guid? ReferredBy { get; set; }

    /// <summary>When the owner proved the address is theirs; the starter credits and referral bonus wait for it.</summary>
    public DateTime? EmailVerifiedAt { get; set; }

    /// <summary>The email-verification code and link last mailed (kept once used, so using them again answers the same).</summary>
    public EmailVerificationCode? EmailVerification { get; set; }

    /// <summary>The invitees whose verification earned this user a referral bonus (at most WearIt:Credits:MaxReferrals).</summary>
    public List<Guid> RewardedReferrals { get; set; } = [];

    /// <summary>The outstanding password-reset code, if one was requested.</summary>
    public PasswordResetCode? PasswordReset { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Counts up on every change; updates name the version they read (optimistic concurrency).</summary>
    public int Version { get; set; }
}

/// <summary>A single-use password-reset code, stored as a keyed hash.</summary>
public sealed class PasswordResetCode
{
    public string CodeHash { get; set; } = "";

    public DateTime ExpiresAt { get; set; }

    public int FailedAttempts { get; set; }
}

/// <summary>A mailed six-digit code and a one-click link token, both stored as keyed hashes.</summary>
public sealed class EmailVerificationCode
{
    public string CodeHash { get; set; } = "";

    public string LinkTokenHash { get; set; } = "";

    public DateTime ExpiresAt { get; set; }

    public int FailedAttempts { get; set; }
}

/// <summary>The roles a user can have.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
}
