using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace WearIt.Tests.Support;

/// <summary>A minimal web app on ASP.NET's test server, for testing one shared building block at a time.</summary>
internal sealed class InMemoryHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InMemoryHost(WebApplication app)
    {
        _app = app;
        Http = app.GetTestClient();
    }

    /// <summary>A client whose base address is the host.</summary>
    public HttpClient Http { get; }

    /// <summary>Builds the app with <paramref name="configureBuilder"/>, maps it with <paramref name="configureApp"/> and starts it.</summary>
    public static async Task<InMemoryHost> StartAsync(Action<WebApplicationBuilder> configureBuilder, Action<WebApplication> configureApp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        configureBuilder(builder);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new InMemoryHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}
