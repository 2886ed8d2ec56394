using Yarp.ReverseProxy.Configuration;

namespace WearIt.Gateway;

/// <summary>
/// What the one public origin sends where. Try-ons (their WebSocket included) and the stored files of try-on results go
/// to TryonService; the rest of <c>/api/v1</c>, the other stored files, the token keys and the web app go to ApiService.
/// The services' internal routes and API documents are not routed: <see cref="GatewayEndpoints"/> answers them 404
/// from here. Destinations are service names, resolved by service discovery.
/// </summary>
public static class GatewayRoutes
{
    public const string ApiCluster = "apiservice", TryonCluster = "tryonservice";

    public static IReadOnlyList<RouteConfig> Routes { get; } =
    [
        Route("tryons", "/api/v1/tryons/{**rest}", TryonCluster),
        Route("tryon-results", "/storage/users/{userId}/tryons/{**rest}", TryonCluster),
        // Hosted try-on providers' callbacks (when WearIt:Tryon:PublicBaseUrl names this origin).
        Route("tryon-provider-webhooks", "/webhooks/tryon-providers/{**rest}", TryonCluster),
        Route("api", "/api/v1/{**rest}", ApiCluster),
        Route("storage", "/storage/{**rest}", ApiCluster),
        Route("token-keys", "/.well-known/{**rest}", ApiCluster),
        // The web app's pages, scripts and styles; the lowest precedence of all (a catch-all).
        Route("web-app", "/{**rest}", ApiCluster),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters { get; } =
    [
        Cluster(ApiCluster, "http://apiservice"),
        Cluster(TryonCluster, "http://tryonservice"),
    ];

    private static RouteConfig Route(string id, string path, string cluster) => new()
    {
        RouteId = id,
        ClusterId = cluster,
        Match = new RouteMatch { Path = path },
    };

    private static ClusterConfig Cluster(string id, string address) => new()
    {
        ClusterId = id,
        Destinations = new Dictionary<string, DestinationConfig> { [id] = new() { Address = address } },
    };
}
