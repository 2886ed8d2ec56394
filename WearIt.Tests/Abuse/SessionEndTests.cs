using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using WearIt.ServiceDefaults.Authentication;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Abuse;

/// <summary>
/// Sessions end when they should: after a logout, a password change, a refresh-token reuse or an account deletion,
/// the ended session's access tokens are refused at once (not when they expire), and an open try-on socket of it is
/// closed with 4401.
/// </summary>
public sealed class SessionEndTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ALogoutEndsThatSessionsAccessTokenAndNoOther()
    {
        var account = await api.SignupAsync();
        var other = await LoginAsync(account);
        // Used once before, so the service has validated (and remembered) it.
        var before = await MeAsync(account.AccessToken);

        using var logout = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", null, new { refreshToken = account.RefreshToken });

        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(account.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(other.AccessToken));
    }

    [Fact]
    public async Task APasswordChangeEndsTheOtherSessionsAccessTokensAndKeepsItsOwn()
    {
        var account = await api.SignupAsync();
        var other = await LoginAsync(account);

        using var change = await api.SendAsync(HttpMethod.Post, "/api/v1/users/me/password", account.AccessToken,
            new { currentPassword = account.Password, newPassword = "a different password" });

        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(other.AccessToken));
        Assert.Equal(HttpStatusCode.OK, await MeAsync(account.AccessToken));
    }

    [Fact]
    public async Task ADeletedAccountsTokenCannotUploadAnything()
    {
        var account = await api.SignupAsync();

        using var delete = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = account.Password });
        using var upload = await api.UploadAsync("/api/v1/bodies", account.AccessToken, TestImages.Jpeg());

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
    }

    [Fact]
    public async Task NoTokenIssuedInARefreshRaceOutlivesTheReuseItCaused()
    {
        for (var round = 0; round < 30; round++)
        {
            var account = await api.SignupAsync();

            var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
                return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation));
            }));

            Assert.Contains(answers, answer => answer.StatusCode == HttpStatusCode.Unauthorized);
            foreach (var (status, body) in answers.Where(answer => answer.StatusCode == HttpStatusCode.OK))
            {
                using var again = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = body.GetProperty("refresh_token").GetString() }, Cancellation);
                Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync(body.GetProperty("access_token").GetString()!));
            }
        }
    }

    [Fact]
    public async Task AnOpenTryonSocketOfAnEndedSessionIsClosedWith4401()
    {
        await using var tryon = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon") { Settings = new() { ["WearIt:Tryon:Concurrency"] = "0" } };
        var user = Guid.NewGuid();
        var client = tryon.Server.CreateWebSocketClient();
        using var socket = await client.ConnectAsync(new Uri(tryon.Server.BaseAddress, $"api/v1/tryons/ws?access_token={TestTokens.User(user)}"), Cancellation);

        // Every session of the user up to a moment just ahead (the test token's iat is whole seconds).
        tryon.Revocations.Enqueue(new SessionRevocation { Id = Guid.NewGuid(), UserId = user, At = DateTime.UtcNow.AddSeconds(2) });
        var buffer = new byte[4096];
        WebSocketReceiveResult received;
        // The service learns of ended sessions every two seconds: the close comes well within twenty.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        do
        {
            received = await socket.ReceiveAsync(buffer, limit.Token);
        }
        while (received.MessageType != WebSocketMessageType.Close);

        Assert.Equal((WebSocketCloseStatus)4401, received.CloseStatus);
        Assert.Equal("session_ended", received.CloseStatusDescription);
    }

    private async Task<TestAccount> LoginAsync(TestAccount account)
    {
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        var body = await ApiServiceFixture.ReadAsync(login, HttpStatusCode.OK);
        return account with { AccessToken = body.GetProperty("access_token").GetString()!, RefreshToken = body.GetProperty("refresh_token").GetString()! };
    }

    private async Task<HttpStatusCode> MeAsync(string accessToken)
    {
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", accessToken);
        return me.StatusCode;
    }
}

/// <summary>An ApiService whose sessions have no lifetime left as soon as they start.</summary>
public sealed class ZeroLifetimeApiServiceFixture() : ApiServiceFixture(new EmbeddedServiceFactory<WearIt.ApiService.ApiServiceAssembly>("wearit")
{
    Settings = { ["WearIt:Auth:SessionLifetime"] = "00:00:00" },
});

/// <summary>A session ends at its absolute lifetime however often it is refreshed.</summary>
public sealed class SessionLifetimeTests(ZeroLifetimeApiServiceFixture api) : IClassFixture<ZeroLifetimeApiServiceFixture>
{
    [Fact]
    public async Task ASessionPastItsLifetimeCannotBeRefreshedButALoginStartsANewOne()
    {
        var account = await api.SignupAsync();

        using var refresh = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, TestContext.Current.CancellationToken);
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, TestContext.Current.CancellationToken);

        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "session_expired");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }
}
