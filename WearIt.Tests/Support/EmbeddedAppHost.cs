using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace WearIt.Tests.Support;

/// <summary>
/// The whole AppHost in embedded mode on a data folder of its own, as <c>dotnet run</c> starts it on a machine without
/// Docker, with both services and the gateway healthy. Disposing it waits until the orchestrator has stopped every service process
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
                // DCP's proxy on ports of its own, so test classes may each run an AppHost at the same time.
                "WearIt:ServiceProxy=true",
                .. settings,
            ], token);
        DistributedApplication? app = null;
        try
        {
            app = await builder.BuildAsync(token);
            await app.StartAsync(token);
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(token);
            startup.CancelAfter(StartupLimit);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("apiservice", startup.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("tryonservice", startup.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", startup.Token);
            return new EmbeddedAppHost(builder, app, dataRoot);
        }
        catch (OperationCanceledException ex) when (app is not null && !token.IsCancellationRequested)
        {
            // Say why: the services' own logs, which the test run does not show otherwise.
            var logs = $"{await LogTailAsync(app, "apiservice")}\n{await LogTailAsync(app, "tryonservice")}\n{await LogTailAsync(app, "gateway")}";
            await DisposeAsync(builder, app, dataRoot);
            throw new Xunit.Sdk.XunitException($"The services were not healthy within {StartupLimit.TotalMinutes} minutes: {ex.Message}\n{logs}");
        }
        catch
        {
            await DisposeAsync(builder, app, dataRoot);
            throw;
        }
    }

    /// <summary>How long both services may take to become healthy.</summary>
    private static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(2);

    /// <summary>The last lines a service wrote.</summary>
    public static async Task<string> LogTailAsync(DistributedApplication app, string service)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(service))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return $"--- {service} ---\n{string.Join('\n', lines.TakeLast(60))}";
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
