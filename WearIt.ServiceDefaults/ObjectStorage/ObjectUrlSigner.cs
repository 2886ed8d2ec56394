using WearIt.ServiceDefaults.Authentication;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>Signs and checks the filesystem store's URLs: HMAC-SHA256 over the method, key, expiry and content type.</summary>
public sealed class ObjectUrlSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    /// <summary>Creates a signer; the key must be at least 32 bytes.</summary>
    public ObjectUrlSigner(byte[] key, TimeProvider time)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The URL signing key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
        _time = time;
    }

    /// <summary>Derives the URL signing key from the service-token key both services hold, so the two are never the same bytes.</summary>
    public static byte[] DeriveKey(string serviceSigningKey) =>
        SecretKeys.Derive(serviceSigningKey, "wearit-object-store-url");

    /// <summary>The Unix time at which a URL made now with <paramref name="lifetime"/> stops working.</summary>
    public long ExpiryFor(TimeSpan lifetime) => _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();

    /// <summary>The signature of one request.</summary>
    public string Sign(string method, string key, long expires, string? contentType) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Payload(method, key, expires, contentType)));

    /// <summary>Whether the signature is right and the URL has not expired; compared in constant time.</summary>
    public bool IsValid(string method, string key, long expires, string? contentType, string signature)
    {
        if (expires < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        byte[] presented;
        try
        {
            presented = WebEncoders.Base64UrlDecode(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = HMACSHA256.HashData(_key, Payload(method, key, expires, contentType));
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    private static byte[] Payload(string method, string key, long expires, string? contentType) =>
        Encoding.UTF8.GetBytes(string.Join('\n',
            method.ToUpperInvariant(), key, expires.ToString(CultureInfo.InvariantCulture), contentType ?? ""));
}
