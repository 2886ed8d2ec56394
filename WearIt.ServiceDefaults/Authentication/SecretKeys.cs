using System.Security.Cryptography;
using System.Text;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// One way to turn a configured secret into a key for one purpose (HKDF-SHA256, 32 bytes, the purpose as its info),
/// so that no two uses of a secret ever share key bytes.
/// </summary>
public static class SecretKeys
{
    public static byte[] Derive(string secret, string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Encoding.UTF8.GetBytes(purpose));
}
