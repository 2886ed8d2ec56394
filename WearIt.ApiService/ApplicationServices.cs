using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Bodies;
using WearIt.ApiService.Features.Catalog;
using WearIt.ApiService.Features.ClientConfig;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Favorites;
using WearIt.ApiService.Features.Garments;
using WearIt.ApiService.Features.Users;
using WearIt.ApiService.Features.Wardrobe;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ApiService.Images;
using WearIt.ApiService.Mail;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService;

/// <summary>Registers ApiService's features.</summary>
public static class ApplicationServices
{
    /// <summary>The base address of TryonService, resolved by service discovery.</summary>
    public const string TryonServiceUrl = "http://tryonservice";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.Services.Configure<CreditsOptions>(builder.Configuration.GetSection(CreditsOptions.SectionName));
        builder.AddWearItMail();

        builder.AddRepository<IUserRepository, MongoUserRepository, LiteDbUserRepository>();
        builder.AddRepository<IRefreshTokenRepository, MongoRefreshTokenRepository, LiteDbRefreshTokenRepository>();
        builder.AddRepository<ILoginAttemptRepository, MongoLoginAttemptRepository, LiteDbLoginAttemptRepository>();
        builder.AddRepository<ISessionRevocationRepository, MongoSessionRevocationRepository, LiteDbSessionRevocationRepository>();
        builder.Services.AddSessionRevocationSource<SessionRevocationDatabaseSource>();
        builder.Services.AddScoped<SessionEnder>();
        builder.AddRepository<ICreditLedgerRepository, MongoCreditLedgerRepository, LiteDbCreditLedgerRepository>();
        builder.AddRepository<IPendingDeletionRepository, MongoPendingDeletionRepository, LiteDbPendingDeletionRepository>();
        builder.AddRepository<IBodyRepository, MongoBodyRepository, LiteDbBodyRepository>();
        builder.AddRepository<IWardrobeRepository, MongoWardrobeRepository, LiteDbWardrobeRepository>();
        builder.AddRepository<IProductRepository, MongoProductRepository, LiteDbProductRepository>();
        builder.AddRepository<IFavoriteRepository, MongoFavoriteRepository, LiteDbFavoriteRepository>();

        builder.Services.Configure<ImageIntakeOptions>(builder.Configuration.GetSection(ImageIntakeOptions.SectionName));
        builder.Services.AddSingleton<ImageDecodeGate>();
        builder.Services.AddSingleton<ImageIntake>();
        builder.Services.AddSingleton<ImageStorage>();
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<CatalogPageCache>();
        builder.Services.AddScoped<CatalogService>();
        builder.Services.AddScoped<BodiesService>();
        builder.Services.AddScoped<BodyAnalysisService>();
        builder.Services.AddSingleton<BodyAnalysisQueue>();
        builder.Services.AddHostedService<BodyAnalysisWorker>();
        builder.Services.AddHttpClient<IBodyAnalysisClient, BodyAnalysisClient>(http => http.BaseAddress = new Uri(TryonServiceUrl));
        builder.Services.AddScoped<WardrobeService>();
        builder.Services.AddHttpClient<IGarmentCheckClient, GarmentCheckClient>(http => http.BaseAddress = new Uri(TryonServiceUrl));
        builder.Services.AddScoped<GarmentSources>();
        builder.Services.AddScoped<FavoritesService>();
        builder.Services.AddHostedService<CatalogSeeder>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CatalogEndpoints.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));

        builder.Services.AddSingleton<AuthMetrics>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<ResetCodes>();
        builder.Services.AddSingleton<UserTokenSigningKey>();
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<LoginThrottle>();
        builder.Services.AddScoped<PasswordCheck>();
        builder.Services.AddSingleton<AdminEmails>();
        builder.Services.AddScoped<EmailVerificationService>();
        builder.Services.AddScoped<CreditsService>();
        builder.Services.AddScoped<AuthService>();
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<AccountDeletionService>();
        builder.Services.AddHttpClient<ITryonServiceClient, TryonServiceClient>(http => http.BaseAddress = new Uri(TryonServiceUrl));
        builder.Services.AddHostedService<AccountDeletionWorker>();
        builder.Services.AddAuthRateLimiting();
        builder.Services.AddUploadRateLimiting();
        return builder;
    }

    public static WebApplication MapApplicationApis(this WebApplication app)
    {
        app.MapClientConfigApi();
        app.MapAuthApi();
        app.MapUserTokenKeys();
        app.MapEmailVerificationApi();
        app.MapUsersApi();
        app.MapCreditsInternalApi();
        app.MapSessionRevocationsInternalApi();
        app.MapCatalogApi();
        app.MapCatalogImages();
        app.MapWardrobeApi();
        app.MapBodiesApi();
        app.MapFavoritesApi();
        app.MapGarmentsInternalApi();
        return app;
    }
}
