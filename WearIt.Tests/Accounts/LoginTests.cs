using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.ApiService;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>POST /api/v1/auth/login, /refresh and /logout.</summary>
public sealed class LoginTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JsonLoginAnswersTheOAuth2TokenShape()
    {
        var account = await api.SignupAsync();

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal("bearer", tokens.GetProperty("token_type").GetString());
        Assert.True(tokens.GetProperty("expires_in").GetInt32() > 0);
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", tokens.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task TheOAuth2PasswordGrantFormLogsIn()
    {
        var account = await api.SignupAsync();

        using var response = await api.Http.PostAsync("/api/v1/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = account.Email.ToUpperInvariant(),
            ["password"] = account.Password,
        }), Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).TryGetProperty("access_token", out _));
    }

    [Fact]
    public async Task AnotherGrantTypeIsRefused()
    {
        using var response = await api.Http.PostAsync("/api/v1/auth/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
        }), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task WrongEmailAndWrongPasswordLookTheSame()
    {
        var account = await api.SignupAsync();

        using var wrongPassword = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = "not the password" }, Cancellation);
        using var wrongEmail = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-" + account.Email, password = "not the password" }, Cancellation);

        var first = await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var second = await wrongEmail.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(first.GetProperty("detail").GetString(), second.GetProperty("detail").GetString());
        Assert.Equal(first.GetProperty("title").GetString(), second.GetProperty("title").GetString());
    }

    [Fact]
    public async Task ASuccessfulLoginResetsTheFailureCount()
    {
        var account = await api.SignupAsync();
        for (var round = 0; round < 2; round++)
        {
            for (var attempt = 0; attempt < 4; attempt++)
            {
                using var failed = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = "wrong password" }, Cancellation);
            }

            using var success = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
            Assert.Equal(HttpStatusCode.OK, success.StatusCode);
        }
    }

    [Fact]
    public async Task RefreshRotatesAndReuseRevokesTheWholeFamily()
    {
        var account = await api.SignupAsync();

        using var first = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = (await first.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("refresh_token").GetString();
        Assert.NotEqual(account.RefreshToken, rotated);

        using var reuse = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
        using var afterReuse = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = rotated }, Cancellation);

        await reuse.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await afterReuse.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task AnUnknownRefreshTokenIs401()
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "made-up" }, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        var account = await api.SignupAsync();

        using var logout = await api.Http.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = account.RefreshToken }, Cancellation);
        using var refresh = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task LoginIsDescribedAsAnOAuth2PasswordFlowInTheOpenApiDocument()
    {
        using var document = await api.Http.GetFromJsonAsync<JsonDocument>("/openapi/v1.json", Cancellation);

        var flow = document!.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2")
            .GetProperty("flows").GetProperty("password");
        Assert.Equal("/api/v1/auth/login", flow.GetProperty("tokenUrl").GetString());
    }
}

/// <summary>The per-address rate limit on /auth.</summary>
public sealed class AuthRateLimitTests : IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<ApiServiceAssembly> _factory = new("wearit") { RateLimitPermits = 3 };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task TheRequestPastTheLimitGets429WithRetryAfter()
    {
        using var http = _factory.CreateClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var allowed = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "a@example.com", password = "whatever1" }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, allowed.StatusCode);
        }

        using var limited = await http.PostAsJsonAsync("/api/v1/auth/login", new { email = "a@example.com", password = "whatever1" }, TestContext.Current.CancellationToken);

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        using var health = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
