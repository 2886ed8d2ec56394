using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WearIt.ServiceDefaults.Security;

/// <summary>
/// Headers every response carries: <c>X-Content-Type-Options: nosniff</c>, frame denial (<c>X-Frame-Options: DENY</c>
/// and CSP <c>frame-ancestors 'none'</c>), <c>Referrer-Policy: no-referrer</c> (signed URLs never leak through a
/// Referer) and a Content-Security-Policy: <see cref="ApiPolicy"/> for everything but HTML, the caller's policy for
/// HTML documents (the web app's), none for the Scalar UI (which runs inline scripts; it is still never framed).
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy of API responses, images and problem details: nothing may run or load from them.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseWearItSecurityHeaders(this IApplicationBuilder app, Func<HttpContext, string>? documentPolicy = null) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                if (!context.Request.Path.StartsWithSegments("/scalar"))
                {
                    var isDocument = context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                    headers.ContentSecurityPolicy = isDocument && documentPolicy is not null ? documentPolicy(context) : ApiPolicy;
                }

                return Task.CompletedTask;
            });
            return next(context);
        });
}
