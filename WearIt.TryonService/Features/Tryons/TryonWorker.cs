using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Health;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Runs queued try-ons: up to <see cref="TryonOptions.Concurrency"/> at once, each claimed with a lease that progress
/// renews. A job whose worker died is claimed again when its lease runs out, at most <see cref="TryonOptions.MaxAttempts"/>
/// times, then failed. Every job that ends without a result is refunded; a refund ApiService could not confirm is retried.
/// What happens to one claimed job is <see cref="TryonJobProcessor"/>'s.
/// </summary>
public sealed class TryonWorker(
    IServiceScopeFactory scopes, ITryonJobRepository jobs, BackgroundLoops loops, TryonQueueSignal queued, IOptions<TryonOptions> options, TimeProvider time)
    : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private TryonOptions Options => options.Value;

    // Each slot and the sweep run as background loops: a round that throws (a database blip, a write conflict) is
    // logged, marks /health Degraded and is tried again after a backoff; the slot never dies with it.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(0, Options.Concurrency))
            .Select(slot => loops.RunAsync($"tryon-slot-{slot}", RunOneAsync, Options.PollInterval, stoppingToken, queued.Wake))
            .Append(loops.RunAsync("tryon-settlement", SettleAsync, Options.SweepInterval, stoppingToken)));

    /// <summary>Claims and runs one job, in a scope of its own; false when there was none.</summary>
    private async Task<bool> RunOneAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var job = await scope.ServiceProvider.GetRequiredService<TryonJobs>().ClaimAsync(_owner, Options.Lease, stoppingToken);
        if (job is null)
        {
            TryonMetrics.QueueDepth(0);
            return false;
        }

        await scope.ServiceProvider.GetRequiredService<TryonJobProcessor>().ProcessAsync(job, _owner, stoppingToken);

        // Counted after the job rather than before it, so the gauge's query is not on the way to anyone's result.
        TryonMetrics.QueueDepth(await jobs.CountQueuedAsync(stoppingToken));
        return true;
    }

    /// <summary>Settles unconfirmed payments (older than <see cref="TryonOptions.PaymentGrace"/>) and refunds.</summary>
    private async Task<bool> SettleAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var settlement = scope.ServiceProvider.GetRequiredService<TryonSettlement>();
        await settlement.SettlePaymentsAsync(time.GetUtcNow().UtcDateTime - Options.PaymentGrace, stoppingToken);
        await settlement.SettleRefundsAsync(stoppingToken);
        return false;
    }
}
