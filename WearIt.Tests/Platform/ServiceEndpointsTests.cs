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

    // Operations that cannot answer a client error, and why (printed if one of them is ever listed wrongly).
    private static readonly Dictionary<string, string> NoClientError = new()
    {
        ["TokenMetadata"] = "serves a fixed public discovery document",
        ["TokenKeys"] = "serves the fixed public key set",
        ["ClientConfig"] = "takes no input; it fails only with 503 when TryonService is not discovered",
        ["CatalogFilters"] = "public and takes no input (a matching If-None-Match is a 304, not an error)",
        ["ListCreditPacks"] = "public and takes no input; it fails only with 503 when payments are not set up",
    };

    [Fact]
    public async Task EveryOperationListsItsClientErrorsAsProblemDetails()
    {
        using var document = await _http.GetFromJsonAsync<JsonDocument>("/openapi/v1.json", TestContext.Current.CancellationToken);

        var operations = 0;
        foreach (var path in document!.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(member => member.Name is "get" or "put" or "post" or "patch" or "delete"))
            {
                operations++;
                var name = operation.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{operation.Name} {path.Name}";
                var errors = operation.Value.GetProperty("responses").EnumerateObject().Where(response => response.Name[0] is '4' or '5').ToList();
                if (NoClientError.TryGetValue(name, out var reason))
                {
                    Assert.DoesNotContain(errors, error => error.Name[0] == '4');
                    continue;
                }

                Assert.True(errors.Any(error => error.Name[0] == '4'), $"{name} ({operation.Name} {path.Name}) lists no 4xx response.");
                foreach (var error in errors)
                {
                    var content = error.Value.GetProperty("content");
                    Assert.True(content.TryGetProperty("application/problem+json", out var problem), $"{name}'s {error.Name} is not problem details.");
                    var schema = problem.GetProperty("schema").GetProperty("$ref").GetString();
                    Assert.Equal(error.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails", schema);
                }
            }
        }

        Assert.True(operations >= 5, $"The document lists only {operations} operations.");
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
