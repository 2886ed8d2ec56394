using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WearIt.ServiceDefaults.Errors;
using WearIt.Tests.Support;

namespace WearIt.Tests.Platform;

/// <summary>The central exception handler: every failure becomes problem details with a code and the traceId.</summary>
public sealed class ProblemDetailsTests : IAsyncLifetime
{
    private InMemoryHost _host = null!;

    private HttpClient Http => _host.Http;

    public async ValueTask InitializeAsync() => _host = await InMemoryHost.StartAsync(
        builder => builder.Services.AddWearItProblemDetails(),
        MapFailingEndpoints);

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static void MapFailingEndpoints(WebApplication app)
    {
        app.UseWearItErrorHandling();
        app.MapGet("/validation", () =>
        {
            throw DomainException.Validation(new Dictionary<string, string[]> { ["email"] = ["The email is not valid."] });
        });
        app.MapGet("/credits", () =>
        {
            throw new DomainException(ErrorKind.PaymentRequired, "credits_exhausted", "You have no credits left.");
        });
        app.MapGet("/rate-limited", () =>
        {
            throw new DomainException(ErrorKind.RateLimited, "rate_limited", "Too many attempts.") { RetryAfterSeconds = 42 };
        });
        app.MapGet("/crash", () =>
        {
            throw new InvalidOperationException("secret internal detail");
        });
        app.MapPost("/json", (Payload payload) => payload.Name);
    }

    [Fact]
    public async Task ValidationFailuresListTheirFieldErrors()
    {
        var (status, problem) = await GetProblemAsync("/validation");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal("The email is not valid.", problem.GetProperty("errors").GetProperty("email")[0].GetString());
    }

    [Fact]
    public async Task DomainCodesAreKept()
    {
        var (status, problem) = await GetProblemAsync("/credits");

        Assert.Equal(HttpStatusCode.PaymentRequired, status);
        Assert.Equal("credits_exhausted", problem.GetProperty("code").GetString());
        Assert.Equal("You have no credits left.", problem.GetProperty("detail").GetString());
        Assert.Equal("/credits", problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task RateLimitsCarryRetryAfter()
    {
        using var response = await Http.GetAsync("/rate-limited", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(42), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task UnexpectedExceptionsAreA500WithoutTheirDetails()
    {
        using var response = await Http.GetAsync("/crash", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"internal_error\"", body);
        Assert.Contains("\"traceId\":", body);
        Assert.DoesNotContain("secret internal detail", body);
        Assert.DoesNotContain("InvalidOperationException", body);
    }

    [Fact]
    public async Task UnreadableJsonIsA400ProblemNotA500()
    {
        using var content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync("/json", content, TestContext.Current.CancellationToken);
        using var problem = await response.Content.ReadFromJsonAsync<JsonDocument>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", problem!.RootElement.GetProperty("code").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> GetProblemAsync(string path)
    {
        using var response = await Http.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Matches("^[0-9a-f]{32}$", problem.GetProperty("traceId").GetString());
        return (response.StatusCode, problem);
    }

    public sealed record Payload(string Name);
}
