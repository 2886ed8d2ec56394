using WearIt.ApiService.Features.Account;
using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Bodies;
using WearIt.ApiService.Features.Catalog;
using WearIt.ApiService.Features.ClientConfig;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Favorites;
using WearIt.ApiService.Features.Garments;
using WearIt.ApiService.Features.Payments;
using WearIt.ApiService.Features.Users;
using WearIt.ApiService.Features.Wardrobe;
using WearIt.ApiService.Images;
using WearIt.ApiService.Mail;
using WearIt.ApiService.WebApp;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.ServiceDefaults.OpenApi;
using WearIt.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);

// Telemetry, health, service discovery and resilience, as every Aspire service.
builder.AddServiceDefaults();

// The platform this service runs on.
builder.AddWearItForwardedHeaders();
builder.Services.AddWearItProblemDetails();
builder.AddWearItAuthentication();
builder.AddWearItDatabase();
builder.AddWearItObjectStore();
builder.AddWearItMail();
builder.AddImageIntake();
builder.Services.AddWearItOpenApi("WearIt API", passwordTokenUrl: "/api/v1/auth/login");

// Its features, each below the ones it uses (docs/architecture.md).
builder.AddAccountDeletion();
builder.AddUsers();
builder.AddCredits();
builder.AddAuth();
builder.AddAccount();
builder.AddCatalog();
builder.AddWardrobe();
builder.AddGarments();
builder.AddBodies();
builder.AddFavorites();
builder.AddPayments();

var app = builder.Build();

app.UseWearItForwardedHeaders();
app.UseWearItSecurityHeaders(WebAppSecurity.PolicyFor);
app.UseWearItErrorHandling();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapWearItOpenApi();
app.MapDefaultEndpoints();
app.MapSignedObjectEndpoints();
app.MapClientConfigApi();
app.MapAuthApi();
app.MapAccountApi();
app.MapCreditsApi();
app.MapCatalogApi();
app.MapWardrobeApi();
app.MapBodiesApi();
app.MapFavoritesApi();
app.MapPaymentsApi();
app.MapGarmentsInternalApi();

app.Run();
