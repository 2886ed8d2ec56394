using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WearIt.ApiService.Features.Users;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Password hashes with ASP.NET Core Identity's PBKDF2 hasher (HMAC-SHA512, salted, iteration count configurable).
/// Verifying against an unknown email still runs the KDF once, so "no such user" costs as long as "wrong password".
/// </summary>
public sealed class PasswordHashing
{
    private static readonly User Nobody = new();
    private readonly PasswordHasher<User> _hasher;
    private readonly string _decoyHash;

    public PasswordHashing(IOptions<AuthOptions> options)
    {
        _hasher = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions
        {
            CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
            IterationCount = options.Value.PasswordHashIterations,
        }));
        _decoyHash = _hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
    }

    public string Hash(string password) => _hasher.HashPassword(Nobody, password);

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/>; with a null hash, spends the same time and says no.</summary>
    public bool Verify(string? hash, string password)
    {
        var result = _hasher.VerifyHashedPassword(Nobody, hash ?? _decoyHash, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }
}
