using System.Security.Cryptography;
using System.Text;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// Replicate's webhook signature (the Standard Webhooks scheme): <c>webhook-signature</c> holds space-separated
/// <c>v1,{base64}</c> HMAC-SHA256 signatures of <c>{webhook-id}.{webhook-timestamp}.{body}</c> under the key that is the
/// base64 after <c>whsec_</c> in the signing secret; a timestamp more than five minutes from now is refused (replays).
/// </summary>
public static class ReplicateWebhookSignature
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);
    private const string SecretPrefix = "whsec_";

    public static bool IsValid(string secret, string? id, string? timestamp, string? signatures, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !long.TryParse(timestamp, out var seconds))
        {
            return false;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        }
        catch (FormatException)
        {
            return false;
        }

        var signed = new byte[Encoding.UTF8.GetByteCount(id) + Encoding.UTF8.GetByteCount(timestamp!) + body.Length + 2];
        var written = Encoding.UTF8.GetBytes($"{id}.{timestamp}.", signed);
        body.CopyTo(signed.AsSpan(written));
        var expected = HMACSHA256.HashData(key, signed);
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',');
            if (comma < 0 || candidate[..comma] != "v1")
            {
                continue;
            }

            var given = new byte[expected.Length];
            if (Convert.TryFromBase64String(candidate[(comma + 1)..], given, out var length) && length == expected.Length
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }
}
