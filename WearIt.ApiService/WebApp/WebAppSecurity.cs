using WearIt.ApiService.Features.ClientConfig;

namespace WearIt.ApiService.WebApp;

/// <summary>The web app's Content-Security-Policy: its own scripts and styles only, and TryonService for results and the socket.</summary>
public static class WebAppSecurity
{
    public static string PolicyFor(HttpContext context)
    {
        var configuration = context.RequestServices.GetRequiredService<IConfiguration>();
        var tryon = ClientConfigEndpoints.TryonServiceUrl(configuration, context.Request.IsHttps);
        var tryonOrigin = tryon is null ? "" : " " + tryon.GetLeftPart(UriPartial.Authority);
        var socketOrigin = tryon is null ? "" : $" {(tryon.Scheme == "https" ? "wss" : "ws")}://{tryon.Authority}";
        return "default-src 'self'; script-src 'self'; style-src 'self'; "
            + $"img-src 'self' data: blob:{tryonOrigin}; connect-src 'self'{tryonOrigin}{socketOrigin}; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }
}
