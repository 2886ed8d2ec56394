using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WearIt.ApiService.Features.Payments;

namespace WearIt.ApiService.Features.ClientConfig;

/// <summary>What the web app needs to find TryonService (its HTTP base and WebSocket URLs), and whether it may sell credits.</summary>
public sealed record ClientConfigResponse(Uri ApiBaseUrl, Uri TryonBaseUrl, Uri TryonWebSocketUrl, bool PaymentsEnabled);

/// <summary><c>GET /api/v1/config</c>, filled from service discovery (<c>services:tryonservice:*</c>).</summary>
public static class ClientConfigEndpoints
{
    public static IEndpointRouteBuilder MapClientConfigApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/config", Get).WithTags("Web app").WithName("ClientConfig").ProducesProblems(503)
            .WithSummary("The URLs the web app talks to, from service discovery, and whether the shop is open.");
        return app;
    }

    private static Results<Ok<ClientConfigResponse>, ProblemHttpResult> Get(HttpRequest request, IConfiguration configuration, IOptions<PaymentsOptions> payments)
    {
        var tryon = TryonServiceUrl(configuration, request.IsHttps);
        if (tryon is null)
        {
            return TypedResults.Problem(
                detail: "TryonService's address is not configured (services:tryonservice:http:0).",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["code"] = "dependency_unavailable" });
        }

        var socket = new UriBuilder(tryon) { Scheme = tryon.Scheme == "https" ? "wss" : "ws", Path = "/api/v1/tryons/ws" }.Uri;
        return TypedResults.Ok(new ClientConfigResponse(new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/"), tryon, socket, payments.Value.Enabled));
    }

    /// <summary>
    /// <c>WearIt:WebApp:TryonBaseUrl</c> (the gateway) when set; otherwise TryonService's https address when this page is
    /// https (browsers block mixed content), else its http one.
    /// </summary>
    public static Uri? TryonServiceUrl(IConfiguration configuration, bool preferHttps)
    {
        // Behind the gateway, try-ons are on the page's own origin (the AppHost sets it).
        if (configuration["WearIt:WebApp:TryonBaseUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured);
        }

        var https = configuration["services:tryonservice:https:0"];
        var http = configuration["services:tryonservice:http:0"];
        var chosen = preferHttps ? https ?? http : http ?? https;
        return string.IsNullOrWhiteSpace(chosen) ? null : new Uri(chosen);
    }
}
