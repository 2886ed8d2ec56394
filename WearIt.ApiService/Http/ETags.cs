using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace WearIt.ApiService.Http;

/// <summary>
/// Weak ETags for responses that carry signed URLs. Two responses with the same data are equivalent even though
/// their URL signatures differ, so the tag names the data and a time bucket: a client that revalidates gets 304
/// only while the URLs it already holds are still comfortably valid.
/// </summary>
public static class ETags
{
    /// <summary>How long a tag stays the same; well inside the signed URLs' lifetime.</summary>
    public static readonly TimeSpan Bucket = TimeSpan.FromMinutes(5);

    /// <summary>The weak tag of <paramref name="data"/> (a fingerprint plus whatever else shapes the response).</summary>
    public static string For(string data, TimeProvider time)
    {
        var bucket = time.GetUtcNow().ToUnixTimeSeconds() / (long)Bucket.TotalSeconds;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{data}|{bucket}"));
        return $"W/\"{WebEncoders.Base64UrlEncode(hash[..16])}\"";
    }

    /// <summary>Sets the tag on the response and says whether the request's <c>If-None-Match</c> already has it.</summary>
    public static bool IsNotModified(HttpContext context, string etag)
    {
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "private, no-cache";
        var presented = context.Request.GetTypedHeaders().IfNoneMatch;
        return presented.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(EntityTagHeaderValue.Parse(etag), useStrongComparison: false));
    }
}
