using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace WearIt.ServiceDefaults.Health;

/// <summary>
/// The background loops of a service (try-on slots, sweeps, account deletion, body analysis, mail) and whether each is
/// making progress. A loop runs its rounds through <see cref="RunAsync"/>: a round that throws is logged with the loop's
/// name, marks the loop failing (so <c>/health</c> answers Degraded), and is tried again after a backoff that doubles up
/// to a minute; the next round that succeeds clears it. A loop never ends the host, and never ends itself but at shutdown.
/// </summary>
public sealed partial class BackgroundLoops(TimeProvider time, ILogger<BackgroundLoops> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, string Reason)> _failing = new();

    /// <summary>The loops whose last round failed, since when and why.</summary>
    public IReadOnlyDictionary<string, (DateTimeOffset Since, string Reason)> Failing => _failing;

    /// <summary>
    /// Runs <paramref name="round"/> until shutdown: after a round that did work at once, after an idle one (false) after
    /// <paramref name="idle"/> (or sooner, when <paramref name="wake"/> says there is work), after a failed one after the backoff.
    /// </summary>
    public async Task RunAsync(string loop, Func<CancellationToken, Task<bool>> round, TimeSpan idle, CancellationToken stoppingToken, IdleWake? wake = null)
    {
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var worked = await round(stoppingToken);
                Succeeded(loop);
                backoff = FirstBackoff;
                wait = worked ? TimeSpan.Zero : idle;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Failed(loop, ex);
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    if (wake is not null && wait == idle)
                    {
                        await wake.WaitAsync(wait, stoppingToken);
                    }
                    else
                    {
                        await Task.Delay(wait, time, stoppingToken);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="round"/> once every <paramref name="period"/> until shutdown, on a steady cadence: a tick
    /// that comes while a round runs is taken as soon as it ends (none is lost, none piles up). A failed round is
    /// followed by the backoff before the next tick is taken.
    /// </summary>
    /// <remarks>The timer exists from the call on, before the first await, so a tick is never missed.</remarks>
    public async Task RunPeriodicAsync(string loop, Func<CancellationToken, Task> round, TimeSpan period, CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(period, time);
        var backoff = FirstBackoff;
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await round(stoppingToken);
                    Succeeded(loop);
                    backoff = FirstBackoff;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Failed(loop, ex);
                    await Task.Delay(backoff, time, stoppingToken);
                    backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> until it succeeds once (start-up work such as requeueing what a previous run left),
    /// with the same logging, backoff and Degraded marking as a loop's rounds; returns early only at shutdown.
    /// </summary>
    public async Task RunOnceAsync(string loop, Func<CancellationToken, Task> work, CancellationToken stoppingToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await RunAsync(loop, async token =>
        {
            await work(token);
            await done.CancelAsync();
            return true;
        }, TimeSpan.Zero, done.Token);
    }

    public void Succeeded(string loop) => _failing.TryRemove(loop, out _);

    public void Failed(string loop, Exception exception)
    {
        LogRoundFailed(logger, exception, loop);
        _failing.TryAdd(loop, (time.GetUtcNow(), $"{exception.GetType().Name}: {exception.Message}"));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A round of the background loop {Loop} failed; it is tried again after a backoff")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string loop);
}

/// <summary>
/// Wakes idle loops when there is work: a producer in the same process <see cref="Signal"/>s, and one waiting loop
/// goes at once instead of at the end of its idle wait (which stays as the fallback for work from other processes).
/// Signals beyond <paramref name="maxPending"/> waiting ones are dropped: a loop that wakes for nothing just waits again.
/// </summary>
public sealed class IdleWake(int maxPending)
{
    private readonly SemaphoreSlim _signals = new(0, Math.Max(1, maxPending));

    public void Signal()
    {
        try
        {
            _signals.Release();
        }
        catch (SemaphoreFullException)
        {
            // As many wake-ups are pending as there are loops to take them.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signals.WaitAsync(timeout, cancellationToken);
}

/// <summary>Degraded while any background loop's last round failed (the loops named in the result's data).</summary>
public sealed class BackgroundLoopsHealthCheck(BackgroundLoops loops) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failing = loops.Failing;
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(
                $"Background loops not making progress: {string.Join(", ", failing.Keys.Order(StringComparer.Ordinal))}.",
                data: failing.ToDictionary(pair => pair.Key, pair => (object)$"since {pair.Value.Since:O}: {pair.Value.Reason}")));
    }
}
