using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Errors;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Abuse;

/// <summary>
/// A user with no credits starts try-ons and resets the connection 1 to 50 ms later, again and again, while ApiService
/// takes a few milliseconds to answer the spend. Before, an abort that landed during the spend left a queued job that
/// ran for free. Now a job is paid, then queued: whatever the abort splits, the payment sweep removes what was never
/// paid and nothing is left to run.
/// </summary>
public sealed class AbortedTryonTests : IAsyncLifetime
{
    // No workers (the settlement is run by hand), and no per-user start limit: this test is about the race, not the limit.
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon")
    {
        Settings = new() { ["WearIt:Tryon:Concurrency"] = "0", ["WearIt:Tryon:MaxTryonsPerMinute"] = "1000" },
    };
    // ApiService at zero credits: every spend is refused with 402 after a few milliseconds, as over the network.
    private readonly FakeApiService _ledger = new FakeApiService { Credits = 0, SpendLatency = TimeSpan.FromMilliseconds(15) }
        .WithBody(new BodyInfo(FakeApiService.Body, "users/test/bodies/b/original.png", 512, 512))
        .WithGarment(FakeApiService.Top, "upper", "catalog/top/image/original.png");
    private readonly Guid _user = Guid.NewGuid();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(_ledger));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task AbortedTryonsAtZeroCreditsLeaveNothingToRunAndChargeNothing()
    {
        using var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(_user));
        for (var delay = 1; delay <= 50; delay++)
        {
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            abort.CancelAfter(TimeSpan.FromMilliseconds(delay));
            try
            {
                using var response = await http.PostAsJsonAsync("/api/v1/tryons",
                    new { bodyId = FakeApiService.Body, items = new[] { new { source = "catalog", id = FakeApiService.Top } } }, abort.Token);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                // The reset: what the server had done by then stays done.
            }
        }

        // Everything the aborted requests left half done is settled (the sweep's grace period passed for all of them).
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TryonSettlement>().SettlePaymentsAsync(DateTime.UtcNow.AddMinutes(1), Cancellation);
        }

        var jobs = await _factory.Services.GetRequiredService<ITryonJobRepository>().ListAsync(_user, null, Cancellation);
        Assert.Empty(jobs.Where(job => job.Status is TryonStatus.Queued or TryonStatus.Running or TryonStatus.Succeeded or TryonStatus.PendingPayment)
            .Select(job => $"{job.Id}: {job.Status}"));
        Assert.Empty(_ledger.Charged);
        Assert.True(_ledger.Spends > 10, $"only {_ledger.Spends} requests reached the spend: the test did not race it");
    }
}
