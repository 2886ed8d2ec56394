using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Six-digit codes and link tokens mailed to users (password reset, email verification). Stored as HMAC-SHA256 under a
/// key derived from the JWT key, bound to the user and the purpose: a leaked database does not let anyone try the
/// million codes offline, and a code of one purpose is no good for another.
/// </summary>
public sealed class ResetCodes(IOptions<JwtOptions> jwt)
{
    public const string PasswordReset = "password-reset";

    private readonly byte[] _key = SecretKeys.Derive(jwt.Value.SigningKey, "wearit-password-reset-code");

    public static string Generate() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public string Hash(Guid userId, string purpose, string code) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{purpose}:{userId:N}:{code}")));

    /// <summary>Compares in constant time.</summary>
    public bool Matches(Guid userId, string purpose, string code, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(userId, purpose, code)), Convert.FromBase64String(storedHash));
}
