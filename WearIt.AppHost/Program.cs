using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WearIt.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var infrastructure = InfrastructureModeSelector.Select(builder);
// User tokens are signed by ApiService alone (ES256 from this secret; TryonService reads the public key from it);
// service tokens have a key of their own, so holding it lets a service call the other but never mint a user token.
var jwtSigningKey = builder.AddParameter(
    "jwt-signing-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);
var serviceTokenKey = builder.AddParameter(
    "service-token-key", new GenerateParameterDefault { MinLength = 64, Special = false }, secret: true, persist: true);

// Services
var apiService = builder.AddProject<Projects.WearIt_ApiService>("apiservice")
    .WithJwtSigningKey(jwtSigningKey)
    .WithServiceTokenKey(serviceTokenKey)
    .WithMailLinksToItself()
    .WithHttpHealthCheck("/health");

var tryonService = builder.AddProject<Projects.WearIt_TryonService>("tryonservice")
    .WithServiceTokenKey(serviceTokenKey)
    .WithReference(apiService)
    .WaitFor(apiService)
    .WithTryonEngineSettings(builder)
    .WithHttpHealthCheck("/health");

// Both services listen on their launch profile's ports themselves unless WearIt:ServiceProxy asks for DCP's proxy
// (a second TCP hop on every request, which cost half the ApiService's throughput here; issue 13), and share one
// trace sampling setting.
foreach (var service in new[] { apiService, tryonService })
{
    service.WithServiceProxy(builder);
    service.WithTraceSampling(builder);
}

// ApiService asks TryonService to delete a deleted account's try-ons; no WaitFor, which would be a cycle.
apiService.WithReference(tryonService);

if (infrastructure.Mode == InfrastructureMode.Containers)
{
    var mongo = builder.AddMongoDB("mongo").WithDataVolume("wearit-mongo-data");
    var apiDatabase = mongo.AddDatabase("wearit");
    var tryonDatabase = mongo.AddDatabase("wearit-tryon");
    var s3 = builder.AddLocalStack("s3", bucketName: "wearit-storage");
    var mail = builder.AddMailPit("mail");

    apiService.WithMongoDatabase(apiDatabase).WithS3Storage(s3).WithSmtpMail(mail);
    tryonService.WithMongoDatabase(tryonDatabase).WithS3Storage(s3);
}
else
{
    var dataRoot = EmbeddedDataRoot.Resolve(builder);
    Directory.CreateDirectory(dataRoot);

    apiService.WithEmbeddedInfrastructure(dataRoot, "wearit", sendsMail: true);
    tryonService.WithEmbeddedInfrastructure(dataRoot, "wearit-tryon");
}

builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
{
    var logger = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("WearIt.AppHost");
    logger.LogInformation("WearIt infrastructure mode {Mode}: {Reason}", infrastructure.Mode, infrastructure.Reason);
    return Task.CompletedTask;
});

builder.LogWhenReady(apiService, tryonService);

builder.Build().Run();
