using WearIt.ServiceDefaults.Errors;
using WearIt.TryonService;
using WearIt.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddWearItOpenApi("WearIt Try-on API");

var app = builder.Build();

app.UseWearItErrorHandling();
app.UseAuthentication();
app.UseAuthorization();

app.MapWearItOpenApi();
app.MapDefaultEndpoints();
app.MapApplicationApis();

app.Run();
