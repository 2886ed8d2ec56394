using WearIt.TryonService.Engine.Hosted;

namespace WearIt.TryonService.Engine;

public static class EngineRegistration
{
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

        builder.Services.Configure<HostedEngineOptions>(builder.Configuration.GetSection(HostedEngineOptions.SectionName));
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
}
