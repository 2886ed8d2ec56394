using WearIt.Gateway;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, service discovery and resilience, as every Aspire service.
builder.AddServiceDefaults();

// The proxy: routes in code (GatewayRoutes), destinations by service name through service discovery. YARP adds
// X-Forwarded-For, -Proto and -Host, which the services believe from here only (GatewayForwarding).
builder.Services.AddReverseProxy()
    .LoadFromMemory(GatewayRoutes.Routes, GatewayRoutes.Clusters)
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.UseWebSockets();
app.MapDefaultEndpoints();
app.MapPrivateRoutesAsNotFound();
app.MapReverseProxy();

app.Run();

namespace WearIt.Gateway
{
    /// <summary>The gateway's entry point, for tests to name.</summary>
    public sealed class GatewayAssembly;
}
