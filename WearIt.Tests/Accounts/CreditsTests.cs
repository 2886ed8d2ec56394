using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>The internal spend and refund endpoints and the ledger the user sees.</summary>
public sealed class CreditsTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AUserTokenCannotCallTheInternalEndpoints()
    {
        var account = await api.SignupAsync();

        using var spend = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", account.AccessToken, new { jobId = "job-1" });

        Assert.True(spend.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"answered {(int)spend.StatusCode}");
        Assert.Equal(20, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task NoTokenCannotCallTheInternalEndpoints()
    {
        var account = await api.SignupAsync();

        using var spend = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", token: null, new { jobId = "job-1" });

        Assert.Equal(HttpStatusCode.Unauthorized, spend.StatusCode);
    }

    [Fact]
    public async Task ASpendIsChargedOncePerJobAndRefundedOnce()
    {
        var account = await api.SignupAsync();

        var afterSpend = await CallAsync("spend", account, "job-a");
        var afterRepeatSpend = await CallAsync("spend", account, "job-a");
        var afterRefund = await CallAsync("refund", account, "job-a");
        var afterRepeatRefund = await CallAsync("refund", account, "job-a");

        Assert.Equal((19, 19, 20, 20), (afterSpend, afterRepeatSpend, afterRefund, afterRepeatRefund));
        using var ledger = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", account.AccessToken);
        var entries = (await ledger.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("entries");
        Assert.Equal(["tryon_refund", "tryon_spend", "signup_bonus"], entries.EnumerateArray().Select(entry => entry.GetProperty("reason").GetString()));
        Assert.Equal("job-a", entries[0].GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task ASpendCanBeLookedUpByJobIdSoALostAnswerIsFound()
    {
        var account = await api.SignupAsync();
        async Task<(bool Spent, bool Refunded)> LookUpAsync(string jobId)
        {
            using var response = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{account.Id}/credits/spends/{jobId}", api.ServiceToken());
            var body = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK);
            return (body.GetProperty("spent").GetBoolean(), body.GetProperty("refunded").GetBoolean());
        }

        var before = await LookUpAsync("job-lost");
        await CallAsync("spend", account, "job-lost");
        var spent = await LookUpAsync("job-lost");
        await CallAsync("refund", account, "job-lost");
        var refunded = await LookUpAsync("job-lost");

        Assert.Equal(((false, false), (true, false), (true, true)), (before, spent, refunded));
        using var asUser = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{account.Id}/credits/spends/job-lost", account.AccessToken);
        Assert.True(asUser.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"a user token answered {(int)asUser.StatusCode}");
    }

    [Fact]
    public async Task ARefundForAJobThatWasNeverChargedIsRefused()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/refund", api.ServiceToken(), new { jobId = "never-charged" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "spend_not_found");
        Assert.Equal(20, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task AtZeroASpendIs402AndTheBalanceStaysZero()
    {
        var account = await api.SignupAsync();
        for (var job = 0; job < 20; job++)
        {
            await CallAsync("spend", account, $"job-{job}");
        }

        using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", api.ServiceToken(), new { jobId = "one-too-many" });

        await response.AssertProblemAsync(HttpStatusCode.PaymentRequired, "credits_exhausted");
        Assert.Equal(0, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task ConcurrentSpendsOfTheLastCreditChargeExactlyOne()
    {
        var account = await api.SignupAsync();
        for (var job = 0; job < 19; job++)
        {
            await CallAsync("spend", account, $"job-{job}");
        }

        var token = api.ServiceToken();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async racer =>
        {
            using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", token, new { jobId = $"race-{racer}" });
            return response.StatusCode;
        }));

        Assert.Single(responses, status => status == HttpStatusCode.OK);
        Assert.All(responses.Where(status => status != HttpStatusCode.OK), status => Assert.Equal(HttpStatusCode.PaymentRequired, status));
        Assert.Equal(0, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneJobChargeItOnce()
    {
        var account = await api.SignupAsync();
        var token = api.ServiceToken();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", token, new { jobId = "same-job" });
            return response.StatusCode;
        }));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(19, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task AJobIdIsRequired()
    {
        var account = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", api.ServiceToken(), new { jobId = "" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    private async Task<int> CallAsync(string action, TestAccount account, string jobId)
    {
        using var response = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/{action}", api.ServiceToken(), new { jobId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation)).GetProperty("balance").GetInt32();
    }
}
