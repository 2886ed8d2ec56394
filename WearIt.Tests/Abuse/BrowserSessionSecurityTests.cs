using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Abuse;

/// <summary>
/// The web app's session and pages: the refresh token lives in an HttpOnly, SameSite=Strict cookie scoped to the auth
/// routes (never in the JSON a script reads), and every response carries nosniff, frame denial and a CSP.
/// </summary>
public sealed class BrowserSessionSecurityTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACookieClientGetsItsRefreshTokenOnlyAsAnHttpOnlyStrictCookieThatRefreshesAndLogsOut()
    {
        var account = await api.SignupAsync();
        using var browser = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        using var login = await SendAsync(browser, "/api/v1/auth/login", new { email = account.Email, password = account.Password });
        var tokens = await ApiServiceFixture.ReadAsync(login, HttpStatusCode.OK);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
        Assert.StartsWith("wearit_refresh=", cookie);
        Assert.Contains("path=/api/v1/auth", cookie);
        Assert.Contains("samesite=strict", cookie);
        Assert.Contains("httponly", cookie);

        using var refreshed = await SendAsync(browser, "/api/v1/auth/refresh", new { });
        var rotated = await ApiServiceFixture.ReadAsync(refreshed, HttpStatusCode.OK);
        Assert.False(rotated.TryGetProperty("refresh_token", out _));
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", rotated.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        using var logout = await SendAsync(browser, "/api/v1/auth/logout", new { });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains(logout.Headers.GetValues("Set-Cookie"), header => header.StartsWith("wearit_refresh=;", StringComparison.Ordinal));
        using var afterLogout = await SendAsync(browser, "/api/v1/auth/refresh", new { });
        await afterLogout.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task TheCookieIsNotSpentWithoutTheTransportHeaderSoAnotherSiteCannotSpendIt()
    {
        var account = await api.SignupAsync();
        using var browser = api.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await SendAsync(browser, "/api/v1/auth/login", new { email = account.Email, password = account.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);

        // What a cross-site request could send: the cookie (were SameSite ignored), but no custom header.
        using var forged = await browser.PostAsJsonAsync("/api/v1/auth/refresh", new { }, Cancellation);
        using var genuine = await SendAsync(browser, "/api/v1/auth/refresh", new { });

        await forged.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task ClientsWithoutTheHeaderKeepTheRefreshTokenInJsonAndGetNoCookie()
    {
        var account = await api.SignupAsync();

        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);

        var tokens = await ApiServiceFixture.ReadAsync(login, HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        Assert.False(login.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TheWebAppHasAStrictContentSecurityPolicyAndApiResponsesAllowNothing()
    {
        using var page = await api.Http.GetAsync("/", Cancellation);
        using var json = await api.Http.GetAsync("/api/v1/catalog/products", Cancellation);
        using var problem = await api.Http.GetAsync("/api/v1/users/me", Cancellation);

        var csp = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe", csp);
        foreach (var response in new[] { page, json, problem })
        {
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }

        Assert.StartsWith("default-src 'none'", Assert.Single(json.Headers.GetValues("Content-Security-Policy")));
        Assert.StartsWith("default-src 'none'", Assert.Single(problem.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task TryonServiceResponsesCarryTheSameHeaders()
    {
        await using var tryon = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon");
        using var http = tryon.CreateClient();

        using var response = await http.GetAsync("/api/v1/tryons", Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.StartsWith("default-src 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient browser, string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Refresh-Token-Transport", "cookie");
        return await browser.SendAsync(request, Cancellation);
    }
}
