using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>/api/v1/users/me.</summary>
public sealed class UsersTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/api/v1/users/me")]
    [InlineData("PATCH", "/api/v1/users/me")]
    [InlineData("POST", "/api/v1/users/me/password")]
    [InlineData("GET", "/api/v1/users/me/credits")]
    [InlineData("DELETE", "/api/v1/users/me")]
    public async Task EveryRouteNeedsAToken(string method, string path)
    {
        using var response = await api.SendAsync(new HttpMethod(method), path, token: null, body: new { });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task MeIsTheSignedInUser()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);

        var me = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(account.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(account.Email, me.GetProperty("email").GetString());
        Assert.False(me.TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task PatchChangesOnlyTheFieldsSent()
    {
        var account = await api.SignupAsync();

        using var first = await api.SendAsync(HttpMethod.Patch, "/api/v1/users/me", account.AccessToken,
            new { stylePreferences = new Dictionary<string, string> { ["fit"] = "relaxed", ["colours"] = "earth tones" } });
        using var second = await api.SendAsync(HttpMethod.Patch, "/api/v1/users/me", account.AccessToken, new { name = "Grace" });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var me = await second.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal("Grace", me.GetProperty("name").GetString());
        Assert.Equal("relaxed", me.GetProperty("stylePreferences").GetProperty("fit").GetString());
    }

    [Fact]
    public async Task AnInvalidNameChangesNothing()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Patch, "/api/v1/users/me", account.AccessToken, new { name = "X", stylePreferences = new Dictionary<string, string> { ["fit"] = "slim" } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);
        var body = await me.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal("Test User", body.GetProperty("name").GetString());
        Assert.Empty(body.GetProperty("stylePreferences").EnumerateObject());
    }

    [Fact]
    public async Task ChangingThePasswordNeedsTheCurrentOne()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/users/me/password", account.AccessToken,
            new { currentPassword = "not it at all", newPassword = "a different password" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "current_password_wrong");
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task ChangingThePasswordEndsOtherSessionsButKeepsThisOne()
    {
        var account = await api.SignupAsync();
        using var otherLogin = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        var otherRefresh = (await otherLogin.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("refresh_token").GetString();

        using var change = await api.SendAsync(HttpMethod.Post, "/api/v1/users/me/password", account.AccessToken,
            new { currentPassword = account.Password, newPassword = "a different password" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var other = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = otherRefresh }, Cancellation);
        using var mine = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }
}
