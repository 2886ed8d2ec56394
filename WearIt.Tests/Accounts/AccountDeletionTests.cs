using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>DELETE /api/v1/users/me: the account and everything it owns go, here and in TryonService.</summary>
public sealed class AccountDeletionTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private IObjectStore Objects => api.Factory.Services.GetRequiredService<IObjectStore>();

    [Fact]
    public async Task TheWrongPasswordDeletesNothing()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = "not my password" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "password_wrong");
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task DeletingRemovesTheAccountTokensLedgerObjectsAndTryonData()
    {
        var account = await api.SignupAsync();
        var other = await api.SignupAsync();
        await Objects.PutAsync($"users/{account.Id}/bodies/b1/original.jpg", new MemoryStream([1, 2, 3]), "image/jpeg", Cancellation);
        await Objects.PutAsync($"users/{other.Id}/bodies/b2/original.jpg", new MemoryStream([4]), "image/jpeg", Cancellation);

        using var response = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = account.Password });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        using var refresh = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode); // the ended session's token is refused at once
        Assert.Null(await Objects.HeadAsync($"users/{account.Id}/bodies/b1/original.jpg", Cancellation));
        Assert.NotNull(await Objects.HeadAsync($"users/{other.Id}/bodies/b2/original.jpg", Cancellation));
        Assert.Contains(account.Id, api.Tryon.DeletedUsers);
        using var otherCredits = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", other.AccessToken);
        Assert.Equal(HttpStatusCode.OK, otherCredits.StatusCode);
    }

    [Fact]
    public async Task TheEmailCanSignUpAgainWithAFreshLedger()
    {
        var account = await api.SignupAsync();
        using var delete = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = account.Password });

        using var again = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = account.Email, password = account.Password, name = "Back Again" }, Cancellation);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task WhenTryonServiceIsDownTheDeletionIsKeptAndRetriedUntilItSucceeds()
    {
        var account = await api.SignupAsync();
        var pending = api.Factory.Services.GetRequiredService<IPendingDeletionRepository>();
        api.Tryon.Fail = true;
        try
        {
            using var response = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = account.Password });

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            var record = await pending.FindAsync(account.Id, Cancellation);
            Assert.NotNull(record);
            Assert.Equal(1, record.Attempts);
            Assert.DoesNotContain(account.Id, api.Tryon.DeletedUsers);
        }
        finally
        {
            api.Tryon.Fail = false;
        }

        // Act: the next attempt (the worker's, run here directly rather than waiting out the backoff)
        await using var scope = api.Factory.Services.CreateAsyncScope();
        var completed = await scope.ServiceProvider.GetRequiredService<AccountDeletionService>().CompleteAsync(account.Id, Cancellation);

        Assert.True(completed);
        Assert.Contains(account.Id, api.Tryon.DeletedUsers);
        Assert.Null(await pending.FindAsync(account.Id, Cancellation));
    }
}
