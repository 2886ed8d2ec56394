using WearIt.ServiceDefaults.Databases;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Features.Tryons;
using WearIt.TryonService.Features.UserData;

namespace WearIt.TryonService;

/// <summary>Registers TryonService's features.</summary>
public static class ApplicationServices
{
    /// <summary>The base address of ApiService, resolved by service discovery.</summary>
    public const string ApiServiceUrl = "http://apiservice";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<TryonOptions>(builder.Configuration.GetSection(TryonOptions.SectionName));
        builder.AddRepository<ITryonJobRepository, MongoTryonJobRepository, LiteDbTryonJobRepository>();
        builder.AddRepository<ITryonEventLog, MongoTryonEventLog, LiteDbTryonEventLog>();
        builder.Services.AddSingleton(_ => new BlazeFaceDetector(BlazeFaceDetector.DefaultModelPath));
        builder.Services.AddSingleton<ITryonEngine, OverlayTryonEngine>();
        builder.Services.AddHttpClient<IApiServiceClient, ApiServiceClient>(http => http.BaseAddress = new Uri(ApiServiceUrl));
        builder.Services.AddScoped<TryonsService>();
        builder.Services.AddHostedService<TryonWorker>();
        return builder;
    }

    public static WebApplication MapApplicationApis(this WebApplication app)
    {
        app.MapTryonsApi();
        app.MapTryonSocket();
        app.MapUserDataInternalApi();
        return app;
    }
}
