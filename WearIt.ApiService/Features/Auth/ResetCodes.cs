using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Six-digit password-reset codes. Stored as HMAC-SHA256 under a key derived from the JWT key: a leaked database
/// does not let anyone try the million codes offline.
/// </summary>
public sealed class ResetCodes(IOptions<JwtOptions> jwt)
{
    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256,
        Encoding.UTF8.GetBytes(jwt.Value.SigningKey), 32, salt: [], info: "wearit-password-reset-code"u8.ToArray());

    public static string Generate() =>
        RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    public string Hash(Guid userId, string code) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{userId:N}:{code}")));

    /// <summary>Compares in constant time.</summary>
    public bool Matches(Guid userId, string code, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(Hash(userId, code)), Convert.FromBase64String(storedHash));
}
