using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// The ES256 key pair of user access tokens. ApiService derives the private key from its secret
/// (<c>Jwt:SigningKey</c>, the AppHost's <c>jwt-signing-key</c>) and publishes the public half as a JWKS; every other
/// service validates with the public half only, so it can check user tokens but never mint one.
/// </summary>
public static class UserTokenKeys
{
    /// <summary>The signing algorithm of user tokens.</summary>
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    /// <summary>
    /// The private key derived from <paramref name="secret"/>: a P-256 scalar from HKDF-SHA256 (the rare output that is
    /// not a valid scalar is skipped by counting on), the public point computed from it.
    /// </summary>
    public static ECDsaSecurityKey FromSecret(string secret)
    {
        for (var counter = 0; ; counter++)
        {
            var scalar = SecretKeys.Derive(secret, $"wearit-user-token-es256:{counter}");
            try
            {
                return WithKeyId(ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar }));
            }
            catch (CryptographicException) when (counter < 16)
            {
                // Zero or not below the curve order (odds about 2^-32): take the next derivation.
            }
        }
    }

    /// <summary>The public half of a key, as published and as validators hold it.</summary>
    public static ECDsaSecurityKey PublicOf(ECDsaSecurityKey key)
    {
        var publicKey = ECDsa.Create(key.ECDsa.ExportParameters(includePrivateParameters: false));
        return new ECDsaSecurityKey(publicKey) { KeyId = key.KeyId };
    }

    /// <summary>A public key from its PEM (<c>-----BEGIN PUBLIC KEY-----</c>), as <c>Jwt:UserTokenPublicKey</c> holds it.</summary>
    public static ECDsaSecurityKey FromPublicPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return WithKeyId(ecdsa);
    }

    /// <summary>The key's public half as a JWK (kty EC, crv P-256, x, y, kid, alg, use).</summary>
    public static JsonWebKey ToJwk(ECDsaSecurityKey key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(PublicOf(key));
        jwk.Alg = Algorithm;
        jwk.Use = "sig";
        return jwk;
    }

    // The key id is a digest of the public key, so a validator finds the key a token names and a new secret gets a new id.
    private static ECDsaSecurityKey WithKeyId(ECDsa ecdsa) =>
        new(ecdsa) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo()))[..16] };
}
