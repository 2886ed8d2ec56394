using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WearIt.ApiService;
using WearIt.Tests.Support;

namespace WearIt.Tests.Abuse;

/// <summary>
/// The enumeration row of issue 12: five wrong passwords locked an existing account (423) but not an unknown email,
/// so anyone learned who has an account and could lock anyone out. Now every email key is throttled alike with
/// progressive delays (no lockout), and the password checks of the account routes count too. Time is a fake clock.
/// </summary>
public sealed class LoginThrottleTests : IAsyncLifetime
{
    // One service per test: each starts its fake clock at now, so the tokens it issues stay valid for the real clock.
    private readonly FakeClockApiServiceFixture api = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => api.InitializeAsync();

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task AnUnknownEmailAndAWrongPasswordAnswerAlikeBeforeAndAfterTheThrottle()
    {
        var account = await api.SignupAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var known = await LoginProblemAsync(account.Email, "wrong password", HttpStatusCode.Unauthorized, "invalid_credentials");
            var ghost = await LoginProblemAsync(unknown, "wrong password", HttpStatusCode.Unauthorized, "invalid_credentials");
            Assert.Equal(known.Body, ghost.Body);
        }

        var knownThrottled = await LoginProblemAsync(account.Email, account.Password, HttpStatusCode.TooManyRequests, "login_throttled");
        var ghostThrottled = await LoginProblemAsync(unknown, "wrong password", HttpStatusCode.TooManyRequests, "login_throttled");

        Assert.Equal(knownThrottled.Body, ghostThrottled.Body);
        Assert.Equal(knownThrottled.RetryAfter, ghostThrottled.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(2), knownThrottled.RetryAfter);
    }

    [Fact]
    public async Task AThrottleDelaysTheOwnerInsteadOfLockingThemOut()
    {
        var account = await api.SignupAsync();
        var waits = new List<TimeSpan>();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            await LoginProblemAsync(account.Email, "an attacker's guess", HttpStatusCode.Unauthorized, "invalid_credentials");
            using var early = await LoginOnceAsync(account.Email, "the next guess");
            if (early.StatusCode == HttpStatusCode.TooManyRequests)
            {
                waits.Add(early.Headers.RetryAfter!.Delta!.Value);
                api.Clock.Advance(waits[^1]);
            }
        }

        // The waits double from two seconds and stop at a minute.
        Assert.Equal(TimeSpan.FromSeconds(2), waits[0]);
        Assert.Equal(waits.Order(), waits);
        Assert.Equal(TimeSpan.FromMinutes(1), waits[^1]);
        await LoginProblemAsync(account.Email, "an attacker's guess", HttpStatusCode.Unauthorized, "invalid_credentials");
        var owner = await LoginProblemAsync(account.Email, account.Password, HttpStatusCode.TooManyRequests, "login_throttled");
        Assert.Equal(TimeSpan.FromMinutes(1), owner.RetryAfter);
        api.Clock.Advance(TimeSpan.FromMinutes(1));
        using var afterTheWait = await LoginOnceAsync(account.Email, account.Password);
        Assert.Equal(HttpStatusCode.OK, afterTheWait.StatusCode);
        using var next = await LoginOnceAsync(account.Email, "one more typo");
        Assert.Equal(HttpStatusCode.Unauthorized, next.StatusCode);
    }

    [Fact]
    public async Task WrongPasswordsOnThePasswordChangeAndTheDeletionCountTowardTheSameThrottle()
    {
        var account = await api.SignupAsync();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var change = await api.SendAsync(HttpMethod.Post, "/api/v1/users/me/password", account.AccessToken,
                new { currentPassword = "guessed password", newPassword = "attacker password" });
            await change.AssertProblemAsync(HttpStatusCode.BadRequest, "current_password_wrong");
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var delete = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = "guessed password" });
            await delete.AssertProblemAsync(HttpStatusCode.BadRequest, "password_wrong");
        }

        await LoginProblemAsync(account.Email, account.Password, HttpStatusCode.TooManyRequests, "login_throttled");
        using var throttledChange = await api.SendAsync(HttpMethod.Post, "/api/v1/users/me/password", account.AccessToken,
            new { currentPassword = account.Password, newPassword = "attacker password" });
        await throttledChange.AssertProblemAsync(HttpStatusCode.TooManyRequests, "login_throttled");
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    private async Task<HttpResponseMessage> LoginOnceAsync(string email, string password) =>
        await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }, Cancellation);

    /// <summary>A login's problem, with the parts that vary per request (trace id) left out.</summary>
    private async Task<(string Body, TimeSpan? RetryAfter)> LoginProblemAsync(string email, string password, HttpStatusCode status, string code)
    {
        using var response = await LoginOnceAsync(email, password);
        var problem = await response.AssertProblemAsync(status, code);
        var comparable = JsonSerializer.Serialize(problem.EnumerateObject().Where(property => property.Name is not ("traceId" or "requestId"))
            .ToDictionary(property => property.Name, property => property.Value));
        return (comparable, response.Headers.RetryAfter?.Delta);
    }
}

/// <summary>The timing half of "answers the same": with the production KDF cost, an unknown email takes as long as a wrong password.</summary>
public sealed class LoginTimingTests : IAsyncLifetime
{
    private readonly ApiServiceFixture _api = new ProductionHashing();

    public ValueTask InitializeAsync() => _api.InitializeAsync();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [Fact]
    public async Task AnUnknownEmailCostsAsMuchAsAWrongPassword()
    {
        var account = await _api.SignupAsync();
        var known = new List<double>();
        var unknown = new List<double>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            known.Add(await TimeLoginAsync(account.Email));
            unknown.Add(await TimeLoginAsync($"nobody-{attempt}-{account.Email}"));
        }

        var (knownMedian, unknownMedian) = (Median(known), Median(unknown));
        Assert.True(Math.Min(knownMedian, unknownMedian) / Math.Max(knownMedian, unknownMedian) > 0.5,
            $"Wrong password {knownMedian:0.0} ms vs unknown email {unknownMedian:0.0} ms (median of 4).");
    }

    private async Task<double> TimeLoginAsync(string email)
    {
        var watch = Stopwatch.StartNew();
        using var response = await _api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "wrong password" }, TestContext.Current.CancellationToken);
        watch.Stop();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().Skip(values.Count / 2 - 1).Take(2).Average();

    private sealed class ProductionHashing() : ApiServiceFixture(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit")
    {
        Settings = { ["WearIt:Auth:PasswordHashIterations"] = "210000" },
    });
}
