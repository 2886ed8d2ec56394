using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Abuse;

/// <summary>
/// Every route with a JSON body, as each service's OpenAPI document lists them, fed malformed bodies while signed in:
/// truncated JSON, JSON that is not an object, wrong field types, nulls in lists, unsupported charsets. Each answer is
/// a 4xx problem detail, never a 500.
/// </summary>
public sealed class MalformedRequestTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>, IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _tryon = new("wearit-tryon") { Settings = new() { ["WearIt:Tryon:Concurrency"] = "0" } };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string> Bodies => new()
    {
        { "truncated", "{\"email\":\"a@example.com\",\"password\":", "application/json" },
        { "an array", "[1,2,3]", "application/json" },
        { "a string", "\"hello\"", "application/json" },
        { "null", "null", "application/json" },
        { "wrong types", "{\"email\":5,\"password\":true,\"name\":[],\"bodyId\":7,\"items\":{},\"mode\":1,\"source\":false,\"id\":\"x\",\"refreshToken\":3}", "application/json" },
        { "null items", "{\"bodyId\":\"00000000-0000-0000-0000-000000000001\",\"items\":[null],\"source\":\"catalog\",\"id\":\"00000000-0000-0000-0000-000000000001\"}", "application/json" },
        { "a bogus charset", "{\"email\":\"a@example.com\",\"password\":\"x\"}", "application/json; charset=bogus" },
        { "utf-16", "{\"email\":\"a@example.com\",\"password\":\"x\"}", "application/json; charset=utf-16" },
        { "not JSON at all", "email=a%40example.com", "text/plain" },
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _tryon.DisposeAsync();

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task EveryApiServiceJsonRouteAnswersAMalformedBodyWithA4xxProblem(string what, string body, string contentType)
    {
        var account = await api.SignupAsync();
        await SweepAsync(api.Http, account.AccessToken, what, body, contentType);
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task EveryTryonServiceJsonRouteAnswersAMalformedBodyWithA4xxProblem(string what, string body, string contentType)
    {
        using var http = _tryon.CreateClient();
        await SweepAsync(http, TestTokens.User(Guid.NewGuid()), what, body, contentType);
    }

    [Fact]
    public async Task ALoginFormWithTwentyThousandFieldsIsA4xxProblem()
    {
        var form = string.Join('&', Enumerable.Range(0, 20_000).Select(i => $"f{i}=x"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = new StringContent(form, Encoding.ASCII, "application/x-www-form-urlencoded") };

        using var response = await api.Http.SendAsync(request, Cancellation);

        await AssertProblemAsync(response, "a 20,000-field form on /api/v1/auth/login");
    }

    private static async Task SweepAsync(HttpClient http, string accessToken, string what, string body, string contentType)
    {
        var routes = await JsonRoutesAsync(http);
        Assert.NotEmpty(routes);
        // A list with a null in it is only malformed for a route that takes a list.
        foreach (var (method, path, _) in what == "null items" ? routes.Where(route => route.TakesItems) : routes)
        {
            var encoding = contentType.EndsWith("utf-16", StringComparison.Ordinal) ? Encoding.Unicode : Encoding.UTF8;
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(encoding.GetBytes(body)) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

            using var response = await http.SendAsync(request, Cancellation);

            await AssertProblemAsync(response, $"{what} on {method} {path}");
        }
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string what)
    {
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{what}: {status} {await response.Content.ReadAsStringAsync(Cancellation)}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.True(problem.TryGetProperty("code", out _), $"{what}: the problem has no code");
    }

    /// <summary>The (method, path) of every operation with an <c>application/json</c> request body, path parameters filled in.</summary>
    private static async Task<List<(string Method, string Path, bool TakesItems)>> JsonRoutesAsync(HttpClient http)
    {
        var document = JsonSerializer.Deserialize<JsonElement>(await http.GetStringAsync("/openapi/v1.json", Cancellation));
        var routes = new List<(string, string, bool)>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Value.ValueKind == JsonValueKind.Object
                    && operation.Value.TryGetProperty("requestBody", out var requestBody)
                    && requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    var filled = System.Text.RegularExpressions.Regex.Replace(path.Name, @"\{[^}]+\}", match => match.Value.Contains("source", StringComparison.Ordinal) ? "catalog" : Guid.NewGuid().ToString());
                    routes.Add((operation.Name.ToUpperInvariant(), filled, SchemaOf(document, json.GetProperty("schema")).TryGetProperty("properties", out var properties) && properties.TryGetProperty("items", out _)));
                }
            }
        }

        return routes;
    }

    private static JsonElement SchemaOf(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
