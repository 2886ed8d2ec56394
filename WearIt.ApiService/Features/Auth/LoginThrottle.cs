using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Progressive delays per email key, whether or not an account has that email: after
/// <see cref="AuthOptions.FreeFailedLogins"/> wrong passwords in a row (within <see cref="AuthOptions.FailedLoginWindow"/>
/// of each other), each next check of that email waits <see cref="AuthOptions.LoginDelay"/>, doubling per failure up to
/// <see cref="AuthOptions.MaxLoginDelay"/>; an attempt inside the wait is 429 <c>login_throttled</c> with Retry-After
/// and is not checked at all. A correct password after the wait always works and clears the count.
/// </summary>
/// <remarks>
/// The trade-off, chosen over a lockout: nobody can lock anyone out (an attacker who keeps failing on a victim's email
/// makes the victim wait at most <see cref="AuthOptions.MaxLoginDelay"/>, one minute), and nobody learns whether an
/// account exists (unknown emails are throttled the same way). Against guessing, one email gets at most about one
/// check a minute once throttled (60 an hour, under ASVS's 100), and the per-address rate limit bounds one client
/// across all emails. Login, the password change and the account deletion all count here.
/// </remarks>
public sealed class LoginThrottle(ILoginAttemptRepository attempts, IOptions<AuthOptions> options, TimeProvider time)
{
    private AuthOptions Options => options.Value;

    /// <summary>Throws 429 <c>login_throttled</c> when the email is inside its wait.</summary>
    public async Task EnsureAllowedAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (await attempts.FindAsync(Key(normalizedEmail), cancellationToken) is not { } record || record.LastFailureAt < now - Options.FailedLoginWindow)
        {
            return;
        }

        var wait = record.LastFailureAt + DelayAfter(record.Failures) - now;
        if (wait > TimeSpan.Zero)
        {
            throw new DomainException(ErrorKind.RateLimited, "login_throttled",
                "Too many wrong passwords for this email; wait before trying again.")
            {
                RetryAfterSeconds = (int)Math.Ceiling(wait.TotalSeconds),
            };
        }
    }

    public async Task RecordFailureAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await attempts.AddFailureAsync(Key(normalizedEmail), now, now - Options.FailedLoginWindow, cancellationToken);
    }

    public Task RecordSuccessAsync(string normalizedEmail, CancellationToken cancellationToken) =>
        attempts.ClearAsync(Key(normalizedEmail), cancellationToken);

    /// <summary>The wait after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        if (failures < Options.FreeFailedLogins)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - Options.FreeFailedLogins, 30);
        var ticks = Math.Min(Options.MaxLoginDelay.Ticks, Options.LoginDelay.Ticks * (1L << Math.Min(doublings, 20)));
        return TimeSpan.FromTicks(ticks);
    }

    /// <summary>The stored key: a hash, so the attempts collection holds no address anyone typed.</summary>
    private static string Key(string normalizedEmail) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));
}

/// <summary>
/// Checks a password under the <see cref="LoginThrottle"/>: login, the password change and the account deletion all
/// go through it, so their wrong passwords count together.
/// </summary>
public sealed class PasswordCheck(LoginThrottle throttle, PasswordHashing passwords)
{
    /// <summary>
    /// Whether <paramref name="password"/> is right for <paramref name="normalizedEmail"/> (whose hash is
    /// <paramref name="passwordHash"/>, null for no account: the same time is spent and the answer is no).
    /// </summary>
    public async Task<bool> VerifyAsync(string normalizedEmail, string? passwordHash, string? password, CancellationToken cancellationToken)
    {
        await throttle.EnsureAllowedAsync(normalizedEmail, cancellationToken);
        if (passwords.Verify(passwordHash, password ?? ""))
        {
            await throttle.RecordSuccessAsync(normalizedEmail, cancellationToken);
            return true;
        }

        await throttle.RecordFailureAsync(normalizedEmail, cancellationToken);
        return false;
    }
}
