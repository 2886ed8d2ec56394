using System.Threading.Channels;
using WearIt.ServiceDefaults.Health;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>The bodies waiting for their analysis, in this process.</summary>
public sealed class BodyAnalysisQueue
{
    private readonly Channel<(Guid UserId, Guid BodyId)> _waiting = Channel.CreateUnbounded<(Guid, Guid)>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(Guid userId, Guid bodyId) => _waiting.Writer.TryWrite((userId, bodyId));

    public IAsyncEnumerable<(Guid UserId, Guid BodyId)> ReadAllAsync(CancellationToken cancellationToken) => _waiting.Reader.ReadAllAsync(cancellationToken);
}

/// <summary>
/// Analyses uploaded bodies one at a time. At start it queues every body a previous run left <c>processing</c>
/// (stopped mid-analysis), so none stays "being checked" for ever, retrying that listing with a backoff until the
/// database answers; a failed analysis (TryonService down) is tried again later, waiting longer each time up to a
/// minute. Either failure marks <c>/health</c> Degraded (loop <c>body-analysis</c>) until an analysis succeeds again,
/// and never stops the host.
/// </summary>
public sealed partial class BodyAnalysisWorker(
    BodyAnalysisQueue queue, IServiceScopeFactory scopes, BackgroundLoops loops, TimeProvider time, ILogger<BodyAnalysisWorker> logger) : BackgroundService
{
    private const string Loop = "body-analysis";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    private readonly Dictionary<Guid, int> _failures = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await loops.RunOnceAsync("body-analysis-leftovers", RequeueLeftoversAsync, stoppingToken);
            await foreach (var (userId, bodyId) in queue.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var bodies = scope.ServiceProvider.GetRequiredService<IBodyRepository>();
                    if (await bodies.FindAsync(userId, bodyId, stoppingToken) is { } body && BodyAnalysisService.Awaits(body))
                    {
                        await scope.ServiceProvider.GetRequiredService<BodyAnalysisService>().AnalyseAsync(body, stoppingToken);
                    }

                    _failures.Remove(bodyId);
                    loops.Succeeded(Loop);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    var failures = _failures[bodyId] = _failures.GetValueOrDefault(bodyId) + 1;
                    var delay = TimeSpan.FromSeconds(Math.Min(MaxRetryDelay.TotalSeconds, Math.Pow(2, failures)));
                    LogFailed(logger, ex, bodyId, userId, failures, delay);
                    loops.Failed(Loop, ex);
                    _ = RetryLaterAsync(userId, bodyId, delay, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping (also when the host failed to start): not a failure.
        }
    }

    private async Task RequeueLeftoversAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var body in await scope.ServiceProvider.GetRequiredService<IBodyRepository>().ListProcessingAsync(10_000, stoppingToken))
        {
            queue.Enqueue(body.UserId, body.Id);
        }
    }

    private async Task RetryLaterAsync(Guid userId, Guid bodyId, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            queue.Enqueue(userId, bodyId);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the body is still processing and is queued again at the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis of body {BodyId} of user {UserId} failed (attempt {Attempt}); trying again in {Delay}")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid bodyId, Guid userId, int attempt, TimeSpan delay);
}
