using Microsoft.Extensions.Options;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// The web app's refresh token travels in an HttpOnly, SameSite=Strict cookie scoped to <c>/api/v1/auth</c> (the
/// refresh and logout routes read it), never in script-readable storage. A client asks for it with
/// <c>X-Refresh-Token-Transport: cookie</c> on sign-up, login, refresh and logout; the token is then left out of the
/// JSON. The cookie is only read when that header is present too: a custom header cannot be sent cross-site without a
/// CORS preflight (which ApiService never grants), so together with SameSite=Strict no other site can spend it.
/// Clients without the header (mobile, the OpenAPI UI) keep sending and receiving the token in JSON.
/// </summary>
public static class RefreshCookie
{
    public const string Name = "wearit_refresh";
    public const string Path = "/api/v1/auth";
    public const string TransportHeader = "X-Refresh-Token-Transport";

    public static bool Wanted(HttpRequest request) =>
        string.Equals(request.Headers[TransportHeader], "cookie", StringComparison.OrdinalIgnoreCase);

    /// <summary>The refresh token the request carries: in its body, else (for a cookie client) in the cookie.</summary>
    public static string? Read(HttpRequest request, string? fromBody) =>
        !string.IsNullOrEmpty(fromBody) ? fromBody : Wanted(request) ? request.Cookies[Name] : null;

    /// <summary>For a cookie client, moves the refresh token from the response body into the cookie.</summary>
    public static TokenResponse Deliver(HttpContext http, TokenResponse tokens)
    {
        if (!Wanted(http.Request) || tokens.RefreshToken is null)
        {
            return tokens;
        }

        var lifetime = http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.RefreshTokenLifetime;
        http.Response.Cookies.Append(Name, tokens.RefreshToken, Options(http, lifetime));
        return tokens with { RefreshToken = null };
    }

    public static void Clear(HttpContext http)
    {
        if (Wanted(http.Request))
        {
            http.Response.Cookies.Delete(Name, Options(http, TimeSpan.Zero));
        }
    }

    private static CookieOptions Options(HttpContext http, TimeSpan lifetime) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = http.Request.IsHttps,
        Path = Path,
        MaxAge = lifetime,
        IsEssential = true,
    };
}
