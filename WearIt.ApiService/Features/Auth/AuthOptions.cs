namespace WearIt.ApiService.Features.Auth;

/// <summary>The <c>WearIt:Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "WearIt:Auth";

    /// <summary>Failed logins in a row that lock an account.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a session (one login) may be refreshed at all, however often it is used.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan ResetCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong codes that burn a reset code.</summary>
    public int MaxResetCodeAttempts { get; set; } = 5;

    /// <summary>PBKDF2-HMAC-SHA512 iterations for password hashes (OWASP recommends 210,000).</summary>
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>Requests to <c>/api/v1/auth/*</c> one client address may make per window.</summary>
    public int RateLimitPermits { get; set; } = 30;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
