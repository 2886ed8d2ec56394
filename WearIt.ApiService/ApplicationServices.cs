using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Users;
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
        builder.AddWearItMail();

        builder.AddRepository<IUserRepository, MongoUserRepository, LiteDbUserRepository>();
        builder.AddRepository<IRefreshTokenRepository, MongoRefreshTokenRepository, LiteDbRefreshTokenRepository>();
        builder.AddRepository<ICreditLedgerRepository, MongoCreditLedgerRepository, LiteDbCreditLedgerRepository>();
        builder.AddRepository<IPendingDeletionRepository, MongoPendingDeletionRepository, LiteDbPendingDeletionRepository>();

        builder.Services.AddSingleton<AuthMetrics>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<ResetCodes>();
        builder.Services.AddScoped<TokenIssuer>();
        builder.Services.AddScoped<CreditsService>();
        builder.Services.AddScoped<AuthService>();
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<AccountDeletionService>();
        builder.Services.AddHttpClient<ITryonServiceClient, TryonServiceClient>(http => http.BaseAddress = new Uri(TryonServiceUrl));
        builder.Services.AddHostedService<AccountDeletionWorker>();
        builder.Services.AddAuthRateLimiting();
        return builder;
    }

    public static WebApplication MapApplicationApis(this WebApplication app)
    {
        app.MapAuthApi();
        app.MapUsersApi();
        app.MapCreditsInternalApi();
        return app;
    }
}
