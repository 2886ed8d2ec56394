using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>The user's body photos and their analysis (made at TryonService, where the models are).</summary>
public static class BodiesFeature
{
    public static IHostApplicationBuilder AddBodies(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IBodyRepository, MongoBodyRepository, LiteDbBodyRepository>();
        builder.Services.AddScoped<BodiesService>();
        builder.Services.AddScoped<BodyAnalysisService>();
        builder.Services.AddSingleton<BodyAnalysisQueue>();
        builder.Services.AddHostedService<BodyAnalysisWorker>();
        builder.Services.AddHttpClient<IBodyAnalysisClient, BodyAnalysisClient>(http => http.BaseAddress = ServiceUrls.TryonService);
        builder.Services.AddUserDataEraser<IBodyRepository>((bodies, userId, cancellationToken) => bodies.DeleteAllForUserAsync(userId, cancellationToken));
        return builder;
    }
}
