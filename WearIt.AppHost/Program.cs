using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WearIt.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = InfrastructureModeSelector.Select(builder);

// Resources first. User tokens are signed by ApiService alone (ES256 from this secret; TryonService reads the public
// key from it); service tokens have a key of their own, so holding it lets a service call the other but never mint a
// user token.
var jwtSigningKey = builder.AddParameter(
    "jwt-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var serviceTokenKey = builder.AddParameter(
    "service-token-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var platform = ServicePlatform.Add(builder, infrastructure.Mode, "wearit", "wearit-tryon");

// Then each service with everything it uses. Both listen on their launch profile's ports themselves unless
// WearIt:ServiceProxy asks for DCP's proxy (a second TCP hop on every request, which cost half the ApiService's
// throughput here; issue 13), and share one trace sampling setting.
var apiService = builder.AddProject<Projects.WearIt_ApiService>("apiservice")
    .WithPlatform(platform, database: "wearit", sendsMail: true)
    .WithJwtSigningKey(jwtSigningKey)
    .WithServiceTokenKey(serviceTokenKey)
    .WithPayments(builder)
    .WithServiceProxy(builder)
    .WithTraceSampling(builder)
    .WithHttpHealthCheck("/health");

var tryonService = builder.AddProject<Projects.WearIt_TryonService>("tryonservice")
    .WithPlatform(platform, database: "wearit-tryon")
    .WithServiceTokenKey(serviceTokenKey)
    .WithReference(apiService)
    .WaitFor(apiService)
    .WithTryonEngineSettings(builder)
    .WithServiceProxy(builder)
    .WithTraceSampling(builder)
    .WithHttpHealthCheck("/health");

// ApiService asks TryonService to delete a deleted account's try-ons; no WaitFor, which would be a cycle. (Starting
// TryonService without waiting for ApiService saved 2 s of cold start here, but a TryonService restarted from the
// orchestrator right after a crash then sometimes failed to start, twice in full test runs: it waits again.)
apiService.WithReference(tryonService);

// The one public origin: the web app, both services' public routes and their WebSocket, and the first version's
// mobile API (/mobile/v1), on one address. Links in mail, Stripe's return URLs, signed storage URLs and the web app's
// configuration name it.
var gateway = builder.AddProject<Projects.WearIt_Gateway>("gateway")
    .WithReference(apiService)
    .WaitFor(apiService)
    .WithReference(tryonService)
    .WaitFor(tryonService)
    // The mobile API's one internal call (trading a session for a lasting token) needs a service token.
    .WithServiceTokenKey(serviceTokenKey)
    .WithSettingsOf("WearIt:Gateway", builder)
    .WithExternalHttpEndpoints()
    .WithServiceProxy(builder)
    .WithTraceSampling(builder)
    .WithHttpHealthCheck("/health");
apiService.WithPublicOrigin(gateway, builder);
tryonService.WithPublicOrigin(gateway, builder);

builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
{
    var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WearIt.AppHost");
    logger.LogInformation("WearIt infrastructure mode {Mode}: {Reason}", infrastructure.Mode, infrastructure.Reason);
    return Task.CompletedTask;
});

builder.LogWhenReady(gateway, apiService, tryonService);

builder.Build().Run();
