using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>Deleting an account: every feature's <see cref="IUserDataEraser"/>, stored objects and TryonService's data.</summary>
public static class AccountDeletionFeature
{
    public static IHostApplicationBuilder AddAccountDeletion(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IPendingDeletionRepository, MongoPendingDeletionRepository, LiteDbPendingDeletionRepository>();
        builder.Services.AddScoped<AccountDeletionService>();
        builder.Services.AddHttpClient<ITryonServiceClient, TryonServiceClient>(http => http.BaseAddress = ServiceUrls.TryonService);
        builder.Services.AddHostedService<AccountDeletionWorker>();
        return builder;
    }
}
