using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Hosted;
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
        builder.Services.AddHttpClient<ApiServiceSessionRevocations>(http => http.BaseAddress = new Uri(ApiServiceUrl));
        builder.Services.AddSessionRevocationSource<ApiServiceSessionRevocations>();
        builder.Services.AddSingleton<UserLimits>();
        builder.Services.AddSingleton<TryonQueueSignal>();
        builder.Services.AddSingleton<TryonEventFeed>();
        builder.Services.AddHostedService<TryonEventFeedLoop>();
        builder.Services.AddScoped<TryonJobs>();
        builder.Services.AddScoped<TryonsService>();
        builder.Services.AddScoped<TryonSettlement>();
        builder.Services.AddHostedService<TryonWorker>();
        builder.Services.AddWebAppCors(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Registers the engine <c>WearIt:Tryon:Engine</c> names: <c>pose</c> (default: pose, segmentation and a warped
    /// garment on the CPU), <c>fashn</c> or <c>replicate</c> (hosted providers, <see cref="HostedTryonEngine"/>). The
    /// vision models load once per process either way: body photos are analysed here at upload whichever engine
    /// dresses them. A hosted engine without its key fails at start, naming the setting.
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
                return builder;
            case FashnProvider.ProviderName:
                Require(builder, FashnOptions.SectionName, "ApiKey", "fashn-api-key");
                builder.Services.Configure<FashnOptions>(builder.Configuration.GetSection(FashnOptions.SectionName));
                // No resilience handler: a create call retried by it could pay twice (the engine retries what is safe).
                // RemoveAllResilienceHandlers is the library's way to opt one client out of the defaults (EXTEXP0001:
                // marked for evaluation).
#pragma warning disable EXTEXP0001
                builder.Services.AddHttpClient<IHostedProvider, FashnProvider>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
                break;
            case ReplicateProvider.ProviderName:
                Require(builder, ReplicateOptions.SectionName, "ApiToken", "replicate-api-token");
                Require(builder, ReplicateOptions.SectionName, "Version", parameter: null);
                builder.Services.Configure<ReplicateOptions>(builder.Configuration.GetSection(ReplicateOptions.SectionName));
#pragma warning disable EXTEXP0001
                builder.Services.AddHttpClient<IHostedProvider, ReplicateProvider>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
                break;
            default:
                throw new InvalidOperationException($"WearIt:Tryon:Engine '{engine}' is not 'pose', 'fashn' or 'replicate'.");
        }

        builder.Services.AddSingleton<ProviderSignals>();
        // Results are downloaded with the standard resilience handler: a GET may be retried.
        builder.Services.AddHttpClient<HostedTryonEngine>();
        builder.Services.AddTransient<ITryonEngine>(services => services.GetRequiredService<HostedTryonEngine>());
        return builder;
    }

    private static void Require(IHostApplicationBuilder builder, string section, string key, string? parameter)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{section}:{key}"]))
        {
            var where = parameter is null ? "" : $" (the AppHost's secret parameter '{parameter}': Parameters__{parameter}=…)";
            throw new InvalidOperationException($"WearIt:Tryon:Engine is '{builder.Configuration["WearIt:Tryon:Engine"]}' but {section}:{key} is not set{where}.");
        }
    }

    public static WebApplication MapApplicationApis(this WebApplication app)
    {
        app.MapTryonsApi();
        app.MapTryonSocket();
        app.MapUserDataInternalApi();
        app.MapBodyAnalysisInternalApi();
        app.MapGarmentAnalysisInternalApi();
        app.MapProviderWebhooks();
        return app;
    }
}
