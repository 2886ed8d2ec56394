using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.ApiService;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Platform;

/// <summary>What the web app relies on: /api/v1/config from service discovery, and TryonService trusting only its origin.</summary>
public sealed class WebAppWiringTests
{
    private const string WebApp = "http://localhost:5360";
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheConfigNamesTryonServiceFromServiceDiscovery()
    {
        await using var factory = new EmbeddedServiceFactory<ApiServiceAssembly>("wearit") { Settings = { ["services:tryonservice:http:0"] = "http://localhost:5370" } };
        using var http = factory.CreateClient();

        var config = await http.GetFromJsonAsync<JsonElement>("/api/v1/config", Cancellation);
        using var page = await http.GetAsync("/", Cancellation);

        Assert.Equal("http://localhost:5370", config.GetProperty("tryonBaseUrl").GetString()!.TrimEnd('/'));
        Assert.Equal("ws://localhost:5370/api/v1/tryons/ws", config.GetProperty("tryonWebSocketUrl").GetString());
        Assert.False(config.GetProperty("paymentsEnabled").GetBoolean(), "no Stripe keys are set here");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task WithoutServiceDiscoveryTheConfigSaysTheServiceIsUnavailable()
    {
        await using var factory = new EmbeddedServiceFactory<ApiServiceAssembly>("wearit");
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/api/v1/config", Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "dependency_unavailable");
    }

    [Theory]
    [InlineData(WebApp, true)]
    [InlineData("http://evil.example", false)]
    public async Task OnlyTheWebAppsOriginPassesCors(string origin, bool allowed)
    {
        await using var factory = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon") { Settings = { ["services:apiservice:http:0"] = WebApp } };
        using var http = factory.CreateClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/tryons");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await http.SendAsync(preflight, Cancellation);

        Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
    }

    [Fact]
    public async Task ASocketFromAnotherOriginIsRefused()
    {
        await using var factory = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon") { Settings = { ["services:apiservice:http:0"] = WebApp } };
        var client = factory.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "http://evil.example";

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            client.ConnectAsync(new Uri(factory.Server.BaseAddress, $"api/v1/tryons/ws?access_token={TestTokens.User(Guid.NewGuid())}"), Cancellation));

        Assert.Contains("403", error.Message);
    }
}
