using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>
/// POST /internal/v1/auth/lasting-tokens: a service (the gateway's mobile API) trades a fresh session's refresh token
/// for one longer-lived access token of that session, and the session's ends still end it.
/// </summary>
public sealed class LastingTokenTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private const string Route = "/internal/v1/auth/lasting-tokens";

    [Fact]
    public async Task ARefreshTokenBecomesOneLastingAccessTokenOfItsSessionAndIsUsedUp()
    {
        var account = await api.SignupAsync();

        using var exchange = await api.SendAsync(HttpMethod.Post, Route, api.ServiceToken(), new { refreshToken = account.RefreshToken, lifetimeSeconds = 86_400 });
        var lasting = await ApiServiceFixture.ReadAsync(exchange, HttpStatusCode.OK);
        var token = lasting.GetProperty("access_token").GetString()!;
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", token);
        using var refresh = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/refresh", null, new { refreshToken = account.RefreshToken });

        var claims = JsonSerializer.Deserialize<JsonElement>(WebEncoders.Base64UrlDecode(token.Split('.')[1]));
        Assert.Equal(86_400, lasting.GetProperty("expires_in").GetInt32());
        Assert.False(lasting.TryGetProperty("refresh_token", out _));
        Assert.Equal(86_400, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        // The traded refresh token is spent: using it again is a reuse, which ends the session, lasting token included.
        await refresh.AssertProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        using var afterReuse = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReuse.StatusCode);
    }

    [Fact]
    public async Task LoggingOutWithTheLastingTokenAloneEndsItsSession()
    {
        var account = await api.SignupAsync();
        using var exchange = await api.SendAsync(HttpMethod.Post, Route, api.ServiceToken(), new { refreshToken = account.RefreshToken, lifetimeSeconds = 3_600 });
        var token = (await ApiServiceFixture.ReadAsync(exchange, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;

        using var logout = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/logout", token, new { });
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", token);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(86_401)]
    public async Task ALifetimeBeyondADayOrNoneIsRefusedAndSpendsNothing(int seconds)
    {
        var account = await api.SignupAsync();

        using var exchange = await api.SendAsync(HttpMethod.Post, Route, api.ServiceToken(), new { refreshToken = account.RefreshToken, lifetimeSeconds = seconds });
        using var refresh = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/refresh", null, new { refreshToken = account.RefreshToken });

        await exchange.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task AUserCannotMintALastingTokenForItself()
    {
        var account = await api.SignupAsync();

        using var exchange = await api.SendAsync(HttpMethod.Post, Route, account.AccessToken, new { refreshToken = account.RefreshToken, lifetimeSeconds = 86_400 });
        using var refresh = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/refresh", null, new { refreshToken = account.RefreshToken });

        Assert.Equal(HttpStatusCode.Unauthorized, exchange.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}
