using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace WearIt.Tests.Support;

/// <summary>
/// The whole AppHost in embedded mode on a data folder of its own, as <c>dotnet run</c> starts it on a machine without
/// Docker, with both services healthy. Disposing it waits until the orchestrator has stopped every service process
/// (its resource cleanup), so the folder is no longer written to when it is removed.
/// </summary>
internal sealed class EmbeddedAppHost : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;

    private EmbeddedAppHost(IDistributedApplicationTestingBuilder builder, DistributedApplication app, string dataRoot)
    {
        _builder = builder;
        App = app;
        DataRoot = dataRoot;
    }

    public DistributedApplication App { get; }

    public string DataRoot { get; }

    /// <summary>Builds the AppHost with <paramref name="settings"/> (<c>key=value</c>) on top of embedded mode, starts it and waits for both services.</summary>
    public static async Task<EmbeddedAppHost> StartAsync(CancellationToken token, params IEnumerable<string> settings)
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "wearit-apphost-" + Guid.NewGuid().ToString("N"));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.WearIt_AppHost>(
            [
                "WearIt:Infrastructure=embedded",
                $"WearIt:DataRoot={dataRoot}",
                // The http profile needs no trusted dev certificate, which CI machines lack.
                "DOTNET_LAUNCH_PROFILE=http",
                .. settings,
            ], token);
        DistributedApplication? app = null;
        try
        {
            app = await builder.BuildAsync(token);
            await app.StartAsync(token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("apiservice", token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("tryonservice", token);
            return new EmbeddedAppHost(builder, app, dataRoot);
        }
        catch
        {
            await DisposeAsync(builder, app, dataRoot);
            throw;
        }
    }

    public HttpClient CreateHttpClient(string service) => App.CreateHttpClient(service, "http");

    public Uri Endpoint(string service) => App.GetEndpoint(service, "http");

    public ValueTask DisposeAsync() => DisposeAsync(_builder, App, DataRoot);

    private static async ValueTask DisposeAsync(IDistributedApplicationTestingBuilder builder, DistributedApplication? app, string dataRoot)
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        await builder.DisposeAsync();
        if (Directory.Exists(dataRoot))
        {
            Directory.Delete(dataRoot, recursive: true);
        }
    }
}
