using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>Try-on jobs: accepting them (paid with ApiService's credits), running them, their events and sockets.</summary>
public static class TryonsFeature
{
    public static IHostApplicationBuilder AddTryons(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TryonOptions>(builder.Configuration.GetSection(TryonOptions.SectionName));
        builder.AddRepository<ITryonJobRepository, MongoTryonJobRepository, LiteDbTryonJobRepository>();
        builder.AddRepository<ITryonEventLog, MongoTryonEventLog, LiteDbTryonEventLog>();
        builder.Services.AddHttpClient<IApiServiceClient, ApiServiceClient>(http => http.BaseAddress = ServiceUrls.ApiService);
        builder.Services.AddHttpClient<ApiServiceSessionRevocations>(http => http.BaseAddress = ServiceUrls.ApiService);
        builder.Services.AddSessionRevocationSource<ApiServiceSessionRevocations>();
        builder.Services.AddSingleton<UserLimits>();
        builder.Services.AddSingleton<TryonQueueSignal>();
        builder.Services.AddSingleton<TryonEventFeed>();
        builder.Services.AddSingleton<TryonSocketSessions>();
        builder.Services.AddHostedService<TryonEventFeedLoop>();
        builder.Services.AddScoped<TryonJobs>();
        builder.Services.AddScoped<TryonsService>();
        builder.Services.AddScoped<TryonSettlement>();
        builder.Services.AddScoped<TryonJobProcessor>();
        builder.Services.AddHostedService<TryonWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTryonsApi(this IEndpointRouteBuilder app)
    {
        app.MapTryonsEndpoints();
        app.MapTryonSocket();
        return app;
    }
}
