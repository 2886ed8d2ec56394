using WearIt.ServiceDefaults.Databases;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Features.BodyAnalysis;
using WearIt.TryonService.Features.GarmentAnalysis;
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
        builder.AddTryonEngine();
        builder.Services.AddHttpClient<IApiServiceClient, ApiServiceClient>(http => http.BaseAddress = new Uri(ApiServiceUrl));
        builder.Services.AddScoped<TryonsService>();
        builder.Services.AddHostedService<TryonWorker>();
        builder.Services.AddWebAppCors(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers the engine <c>WearIt:Tryon:Engine</c> names: <c>pose</c> (default: pose, segmentation and a warped
    /// garment on the CPU) or <c>http</c> (a hosted API). The vision models load once per process either way: body
    /// photos are analysed here at upload whichever engine dresses them.
    /// </summary>
    public static IHostApplicationBuilder AddTryonEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => EngineModels.Load());
        builder.Services.AddSingleton(services => services.GetRequiredService<EngineModels>().Analyzer);
        builder.Services.AddSingleton(services => services.GetRequiredService<EngineModels>().Garments);
        var engine = builder.Configuration["WearIt:Tryon:Engine"] ?? "pose";
        switch (engine.ToLowerInvariant())
        {
            case "pose":
                builder.Services.AddSingleton<ITryonEngine, PoseTryonEngine>();
                break;
            case "http":
                var section = builder.Configuration.GetSection(HttpTryonEngineOptions.SectionName);
                if (string.IsNullOrWhiteSpace(section["BaseUrl"]) || string.IsNullOrWhiteSpace(section["ApiKey"]))
                {
                    throw new InvalidOperationException("WearIt:Tryon:Engine is 'http' but WearIt:Tryon:Http:BaseUrl or ApiKey is not set.");
                }

                builder.Services.Configure<HttpTryonEngineOptions>(section);
                builder.Services.AddHttpClient<ITryonEngine, HttpTryonEngine>();
                break;
            default:
                throw new InvalidOperationException($"WearIt:Tryon:Engine '{engine}' is not 'pose' or 'http'.");
        }

        return builder;
    }

    public static WebApplication MapApplicationApis(this WebApplication app)
    {
        app.MapTryonsApi();
        app.MapTryonSocket();
        app.MapUserDataInternalApi();
        app.MapBodyAnalysisInternalApi();
        app.MapGarmentAnalysisInternalApi();
        return app;
    }
}
