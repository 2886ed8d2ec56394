namespace WearIt.ApiService.Features.Auth;

/// <summary>The <c>WearIt:Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "WearIt:Auth";

    /// <summary>Wrong passwords in a row for one email before each next check waits (see <see cref="LoginThrottle"/>).</summary>
    public int FreeFailedLogins { get; set; } = 5;

    /// <summary>The first wait; it doubles with each further failure.</summary>
    public TimeSpan LoginDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxLoginDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A failure this long after the previous one starts the count over.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the mailed email-verification code and link work.</summary>
    public TimeSpan VerificationLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Wrong codes that burn a verification code (a new one can be asked for).</summary>
    public int MaxVerificationAttempts { get; set; } = 5;

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
