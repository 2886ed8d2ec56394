using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Hands the try-on engine's settings to TryonService: every <c>WearIt:Tryon:*</c> setting the AppHost was given
/// (command line, environment, user secrets), and a hosted provider's key from a secret parameter added only when
/// that provider is chosen (<c>fashn-api-key</c>, <c>replicate-api-token</c>).
/// </summary>
public static class TryonEngineHostingExtensions
{
    public const string Section = "WearIt:Tryon";

    private static readonly Dictionary<string, (string Parameter, string Setting)> ProviderKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fashn"] = ("fashn-api-key", "WearIt__Tryon__Fashn__ApiKey"),
        ["replicate"] = ("replicate-api-token", "WearIt__Tryon__Replicate__ApiToken"),
    };

    public static IResourceBuilder<ProjectResource> WithTryonEngineSettings(this IResourceBuilder<ProjectResource> service, IDistributedApplicationBuilder builder)
    {
        service.WithSettingsOf(Section, builder);

        var engine = builder.Configuration[$"{Section}:Engine"];
        if (engine is not null && ProviderKeys.TryGetValue(engine, out var provider))
        {
            // Run mode needs the key now; publishing only declares the parameter for the deployment to fill.
            if (builder.ExecutionContext.IsRunMode && string.IsNullOrWhiteSpace(builder.Configuration[$"Parameters:{provider.Parameter}"]))
            {
                throw new InvalidOperationException(
                    $"WearIt:Tryon:Engine is '{engine}' but the secret parameter '{provider.Parameter}' is not set: set Parameters:{provider.Parameter} "
                    + $"(environment Parameters__{provider.Parameter}=…, or `dotnet user-secrets set Parameters:{provider.Parameter} …` in WearIt.AppHost).");
            }

            service.WithEnvironment(provider.Setting, builder.AddParameter(provider.Parameter, secret: true));
        }

        return service;
    }
}
