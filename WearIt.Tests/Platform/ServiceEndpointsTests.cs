using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using WearIt.ApiService;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Platform;

/// <summary>What both services expose in embedded mode: health, liveness, OpenAPI, Scalar and problem details.</summary>
public abstract class ServiceEndpointsTests<TEntryPoint>(string connectionStringName, string title) : IAsyncLifetime
    where TEntryPoint : class
{
    private readonly EmbeddedServiceFactory<TEntryPoint> _factory = new(connectionStringName);
    private HttpClient _http = null!;

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpointsAnswerHealthy(string path)
    {
        using var response = await _http.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ReadinessFailsWhenTheObjectStoreFolderIsGone()
    {
        using (await _http.GetAsync("/health", TestContext.Current.CancellationToken))
        {
        }

        Directory.Delete(Path.Combine(_factory.DataRoot, "objects"), recursive: true);
        using var ready = await _http.GetAsync("/health", TestContext.Current.CancellationToken);
        using var alive = await _http.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentIsServed()
    {
        using var document = await _http.GetFromJsonAsync<JsonDocument>("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(title, document!.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task TheScalarUiIsServedInDevelopment()
    {
        using var response = await _http.GetAsync("/scalar/v1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownRouteAnswersProblemDetailsWithCodeAndTraceId()
    {
        using var response = await _http.GetAsync("/api/v1/no-such-thing", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = await response.Content.ReadFromJsonAsync<JsonDocument>(TestContext.Current.CancellationToken);
        Assert.Equal("not_found", problem!.RootElement.GetProperty("code").GetString());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$", problem.RootElement.GetProperty("traceId").GetString());
    }
}

public sealed class ApiServiceEndpointsTests() : ServiceEndpointsTests<ApiServiceAssembly>("wearit", "WearIt API");

public sealed class TryonServiceEndpointsTests() : ServiceEndpointsTests<TryonServiceAssembly>("wearit-tryon", "WearIt Try-on API");
