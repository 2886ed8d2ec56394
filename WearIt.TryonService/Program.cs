using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.ServiceDefaults.OpenApi;
using WearIt.ServiceDefaults.Security;
using WearIt.TryonService;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Hosted;
using WearIt.TryonService.Features.BodyAnalysis;
using WearIt.TryonService.Features.GarmentAnalysis;
using WearIt.TryonService.Features.Tryons;
using WearIt.TryonService.Features.UserData;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, service discovery and resilience, as every Aspire service.
builder.AddServiceDefaults();

// The platform this service runs on.
builder.AddWearItForwardedHeaders();
builder.Services.AddWearItProblemDetails();
builder.AddWearItAuthentication();
builder.AddWearItDatabase();
builder.AddWearItObjectStore();
builder.Services.AddWebAppCors(builder.Configuration);
builder.Services.AddWearItOpenApi("WearIt Try-on API");

// The engine (models loaded once per process) and the features on it (docs/architecture.md).
builder.AddTryonEngine();
builder.AddTryons();

var app = builder.Build();

app.UseWearItForwardedHeaders();
app.UseWearItSecurityHeaders();
app.UseWearItErrorHandling();
// Before authentication, so the access_token query parameter is recognised on WebSocket requests.
app.UseWebSockets();
app.UseCors(WebAppOrigins.PolicyName);
app.UseAuthentication();
app.UseAuthorization();

app.MapWearItOpenApi();
app.MapDefaultEndpoints();
app.MapSignedObjectEndpoints();
app.MapTryonsApi();
app.MapUserDataInternalApi();
app.MapBodyAnalysisInternalApi();
app.MapGarmentAnalysisInternalApi();
app.MapProviderWebhooks();

app.Run();
