using WearIt.Gateway;
using WearIt.Gateway.Mobile;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, service discovery and resilience, as every Aspire service.
builder.AddServiceDefaults();

// The proxy: routes in code (GatewayRoutes), destinations by service name through service discovery. YARP adds
// X-Forwarded-For, -Proto and -Host, which the services believe from here only (GatewayForwarding).
builder.Services.AddReverseProxy()
    .LoadFromMemory(GatewayRoutes.Routes, GatewayRoutes.Clusters)
    .AddServiceDiscoveryDestinationResolver();

// Mobile v1: the first version's app, on the services' own APIs (a backend for that frontend).
builder.AddMobileApi();

var app = builder.Build();

app.UseWebSockets();
app.MapDefaultEndpoints();
app.MapPrivateRoutesAsNotFound();
app.MapMobileApi();
app.MapReverseProxy();

app.Run();

namespace WearIt.Gateway
{
    /// <summary>The gateway's entry point, for tests to name.</summary>
    public sealed class GatewayAssembly;
}
