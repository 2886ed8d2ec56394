using WearIt.ServiceDefaults.Security;
using WearIt.ServiceDefaults.Errors;
using WearIt.TryonService;
using WearIt.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddWearItOpenApi("WearIt Try-on API");

var app = builder.Build();

app.UseWearItSecurityHeaders();
app.UseWearItErrorHandling();
// Before authentication, so the access_token query parameter is recognised on WebSocket requests.
app.UseWebSockets();
app.UseCors(WebAppOrigins.PolicyName);
app.UseAuthentication();
app.UseAuthorization();

app.MapWearItOpenApi();
app.MapDefaultEndpoints();
app.MapApplicationApis();

app.Run();
