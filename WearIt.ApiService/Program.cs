using WearIt.ApiService.WebApp;
using WearIt.ServiceDefaults.Security;
using WearIt.ApiService;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();
builder.Services.AddWearItOpenApi("WearIt API", passwordTokenUrl: "/api/v1/auth/login");

var app = builder.Build();

app.UseWearItSecurityHeaders(WebAppSecurity.PolicyFor);
app.UseWearItErrorHandling();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapWearItOpenApi();
app.MapDefaultEndpoints();
app.MapApplicationApis();

app.Run();
