using Microsoft.AspNetCore.Cors.Infrastructure;

namespace WearIt.TryonService;

/// <summary>
/// The web app (served by ApiService) is the only origin allowed to call TryonService from a browser, over HTTP (CORS)
/// and over the WebSocket (origin check). Its addresses come from service discovery; <c>WearIt:WebApp:Origins</c> adds more.
/// </summary>
public static class WebAppOrigins
{
    public const string PolicyName = "web-app";

    public static string[] From(IConfiguration configuration) =>
    [
        .. new[] { configuration["services:apiservice:http:0"], configuration["services:apiservice:https:0"] }
            .Concat(configuration.GetSection("WearIt:WebApp:Origins").Get<string[]>() ?? [])
            .Where(origin => !string.IsNullOrWhiteSpace(origin))
            .Select(origin => new Uri(origin!).GetLeftPart(UriPartial.Authority)),
    ];

    public static IServiceCollection AddWebAppCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = From(configuration);
        return services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "DELETE")
            .WithExposedHeaders("Location")));
    }

    /// <summary>Whether a WebSocket handshake's Origin may connect: no Origin (not a browser) or the web app's.</summary>
    public static bool IsAllowed(HttpContext http, IConfiguration configuration)
    {
        var origin = http.Request.Headers.Origin.ToString();
        return string.IsNullOrEmpty(origin) || From(configuration).Contains(origin, StringComparer.OrdinalIgnoreCase);
    }
}
