using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.ServiceDefaults.Health;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Hosted;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Runs queued try-ons: up to <see cref="TryonOptions.Concurrency"/> at once, each claimed with a lease that progress
/// renews. A job whose worker died is claimed again when its lease runs out, at most <see cref="TryonOptions.MaxAttempts"/>
/// times, then failed. Every job that ends without a result is refunded; a refund ApiService could not confirm is retried.
/// </summary>
public sealed partial class TryonWorker(
    IServiceScopeFactory scopes, ITryonJobRepository jobs, BackgroundLoops loops, TryonQueueSignal queued, IOptions<TryonOptions> options, TimeProvider time,
    ILogger<TryonWorker> logger)
    : BackgroundService
{
    public static readonly ActivitySource Activities = EngineTelemetry.Activities;
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    private TryonOptions Options => options.Value;

    // Each slot and the sweep run as background loops: a round that throws (a database blip, a write conflict) is
    // logged, marks /health Degraded and is tried again after a backoff; the slot never dies with it.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(0, Options.Concurrency))
            .Select(slot => loops.RunAsync($"tryon-slot-{slot}", RunOneAsync, Options.PollInterval, stoppingToken, queued.Wake))
            .Append(loops.RunAsync("tryon-settlement", SettleAsync, Options.SweepInterval, stoppingToken)));

    /// <summary>Claims and runs one job; false when there was none.</summary>
    private async Task<bool> RunOneAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var job = await scope.ServiceProvider.GetRequiredService<TryonJobs>().ClaimAsync(_owner, Options.Lease, stoppingToken);
        if (job is null)
        {
            TryonMetrics.QueueDepth(0);
            return false;
        }

        await ProcessAsync(job, scope.ServiceProvider, stoppingToken);

        // Counted after the job rather than before it, so the gauge's query is not on the way to anyone's result.
        TryonMetrics.QueueDepth(await jobs.CountQueuedAsync(stoppingToken));
        return true;
    }

    private async Task ProcessAsync(TryonJob job, IServiceProvider services, CancellationToken stoppingToken)
    {
        // The job's own trace, linked to the request that accepted it (where the body, garments and credit were fetched).
        ActivityLink[] links = ActivityContext.TryParse(job.TraceParent, null, out var accepted) ? [new ActivityLink(accepted)] : [];
        using var activity = Activities.StartActivity("tryon.job", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("wearit.tryon.id", job.Id);
        activity?.SetTag("wearit.user.id", job.UserId);
        var run = new JobRun(job, _owner, services, time, Options, activity?.Context ?? default);
        try
        {
            if (job.CancelRequested)
            {
                await run.FinishAsync(TryonStatus.Canceled, null, null, stoppingToken);
                return;
            }

            if (job.Attempts > Options.MaxAttempts)
            {
                await run.FinishAsync(TryonStatus.Failed, "tryon_attempts_exhausted", "The try-on was interrupted too many times.", stoppingToken);
                return;
            }

            await run.ExecuteAsync(stoppingToken);
            LogFinished(logger, job.Id, job.UserId, job.Status);
        }
        catch (TryonFailedException ex) when (ex.Retryable && job.Attempts < Options.MaxAttempts)
        {
            // A hosted provider's fault or timeout: another attempt makes a new prediction (finished steps are kept).
            LogRetrying(logger, job.Id, job.UserId, ex.Code, job.Attempts);
            await run.RequeueAsync(stoppingToken, forgetUnfinishedSteps: true);
        }
        catch (TryonFailedException ex)
        {
            await run.FinishAsync(TryonStatus.Failed, ex.Code, ex.Message, stoppingToken);
            if (ex.Code == "provider_unavailable")
            {
                // A bad key or an empty account: every try-on fails until an operator acts.
                LogProviderUnavailable(logger, job.Id, ex.Message);
            }

            LogFailed(logger, job.Id, job.UserId, ex.Code);
        }
        catch (OperationCanceledException) when (run.CancelRequested && !stoppingToken.IsCancellationRequested)
        {
            await run.FinishAsync(TryonStatus.Canceled, null, null, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the job goes back to the queue now, rather than when its lease runs out (a hosted
            // provider's prediction stays on it, to be read by whoever claims it next).
            await run.RequeueAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCrashed(logger, ex, job.Id, job.UserId, job.Attempts);
            if (TryonStatus.IsFinished(job.Status))
            {
                // It ended (and was stored so) before the failure, in what followed the end: nothing to undo.
                return;
            }

            if (job.Attempts >= Options.MaxAttempts)
            {
                await run.FinishAsync(TryonStatus.Failed, "tryon_internal_error", "The try-on could not be completed.", stoppingToken);
            }
            else
            {
                await run.RequeueAsync(stoppingToken);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Try-on {TryonId} of user {UserId} finished: {Status}")]
    private static partial void LogFinished(ILogger logger, Guid tryonId, Guid userId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Try-on {TryonId} of user {UserId} failed: {Code}")]
    private static partial void LogFailed(ILogger logger, Guid tryonId, Guid userId, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "The try-on provider is unavailable to WearIt (try-on {TryonId}): {Reason}")]
    private static partial void LogProviderUnavailable(ILogger logger, Guid tryonId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Try-on {TryonId} of user {UserId} failed with {Code} on attempt {Attempt}; it is queued again")]
    private static partial void LogRetrying(ILogger logger, Guid tryonId, Guid userId, string code, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Try-on {TryonId} of user {UserId} crashed on attempt {Attempt}")]
    private static partial void LogCrashed(ILogger logger, Exception exception, Guid tryonId, Guid userId, int attempt);

    /// <summary>One claimed job on its way through the engine, writing each step back under the lease.</summary>
    private sealed class JobRun(TryonJob job, string owner, IServiceProvider services, TimeProvider time, TryonOptions options, ActivityContext parent)
        : IHostedTryonJob
    {
        private (string Stage, DateTimeOffset Started)? _currentStage;
        private readonly TryonJobs _jobs = services.GetRequiredService<TryonJobs>();
        private readonly IObjectStore _objects = services.GetRequiredService<IObjectStore>();
        private readonly CancellationTokenSource _cancel = new();
        private readonly SemaphoreSlim _writing = new(1, 1);

        public bool CancelRequested => _cancel.IsCancellationRequested;

        /// <summary>The user's cancel (or deletion) only: a job lost to another worker leaves its prediction running for it.</summary>
        bool IHostedTryonJob.CancelRequested => job.CancelRequested;

        private string Prefix => $"users/{job.UserId}/tryons/{job.Id}";

        public Guid Id => job.Id;

        public string ObjectPrefix => Prefix;

        public IReadOnlyList<ProviderStep> Steps => job.ProviderSteps;

        /// <summary>Stores a provider call on the job under the lease (renewing it) before the engine goes on.</summary>
        public async Task SaveStepAsync(ProviderStep step, CancellationToken cancellationToken)
        {
            // Stages are written from the progress writer meanwhile: one write of the job at a time.
            await _writing.WaitAsync(cancellationToken);
            try
            {
                await SaveStepLockedAsync(step, cancellationToken);
            }
            finally
            {
                _writing.Release();
            }
        }

        private async Task SaveStepLockedAsync(ProviderStep step, CancellationToken cancellationToken)
        {
            job.ProviderSteps.RemoveAll(saved => saved.Index == step.Index);
            job.ProviderSteps.Add(step);
            var now = time.GetUtcNow().UtcDateTime;
            job.LeaseExpiresAt = now.Add(options.Lease);
            switch (await _jobs.WriteRunningAsync(job, owner, cancellationToken))
            {
                case RunningWrite.Lost:
                    // Deleted, or taken over after the lease ran out (the new owner reads the same prediction): stop here.
                    throw new InvalidOperationException("The try-on is no longer this worker's: it was deleted or claimed again.");
                case RunningWrite.CancelRequested:
                    await _cancel.CancelAsync();
                    break;
            }
        }

        public async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _cancel.Token);
            var engine = services.GetRequiredService<ITryonEngine>();

            // The photo, the garments and the analysis's masks are read (and the masks decoded) at once.
            var body = ReadAsync(job.BodyImageKey, linked.Token);
            var garments = Task.WhenAll(job.Items.Select(async item => new GarmentInput(item.ClothType, await ReadAsync(item.ImageKey, linked.Token), item.Title)));
            var analysis = ReadAnalysisAsync(linked.Token);
            await Task.WhenAll(body, garments, analysis);
            var request = new TryonRequest(await body, [.. await garments], job.Mode == "quality" ? TryonMode.Quality : TryonMode.Fast, job.Seed, await analysis)
            {
                Job = this,
            };

            var stages = Channel.CreateUnbounded<TryonProgress>(new UnboundedChannelOptions { SingleReader = true });
            var writer = Task.Run(async () =>
            {
                await foreach (var stage in stages.Reader.ReadAllAsync(CancellationToken.None))
                {
                    await ReportAsync(stage, linked.Token);
                }
            }, CancellationToken.None);

            // A hosted provider can take minutes without a new stage: the lease is renewed meanwhile, so no other worker
            // takes the job (and pays the provider again) while this one still reads its prediction.
            using var stopHeartbeat = new CancellationTokenSource();
            var heartbeat = KeepLeaseAsync(linked.Token, stopHeartbeat.Token);
            TryonResult result;
            try
            {
                using (Activities.StartActivity("tryon.engine"))
                {
                    result = await engine.RunAsync(request, new Progress(stage => stages.Writer.TryWrite(stage)), linked.Token);
                }
            }
            finally
            {
                await stopHeartbeat.CancelAsync();
                await heartbeat;
                stages.Writer.Complete();
                await writer;
            }

            using (Activities.StartActivity("tryon.uploading"))
            {
                await ReportAsync(new TryonProgress("uploading", 90, null), linked.Token);
                var key = $"{Prefix}/result.png";
                await _objects.PutAsync(key, new MemoryStream(result.Image, writable: false), result.ContentType, linked.Token);
                job.ResultKey = key;
                job.ResultWidth = result.Width;
                job.ResultHeight = result.Height;
            }

            await FinishAsync(TryonStatus.Succeeded, null, null, stoppingToken);
        }

        /// <summary>Renews the lease every third of it until stopped; notices a cancel request or a lost job on the way.</summary>
        private async Task KeepLeaseAsync(CancellationToken running, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(options.Lease / 3, time);
            try
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    await _writing.WaitAsync(stop);
                    try
                    {
                        job.LeaseExpiresAt = time.GetUtcNow().UtcDateTime.Add(options.Lease);
                        if (await _jobs.WriteRunningAsync(job, owner, running) != RunningWrite.Written)
                        {
                            // Cancelled or deleted by the user, or lost to another worker: the engine stops.
                            await _cancel.CancelAsync();
                            return;
                        }
                    }
                    finally
                    {
                        _writing.Release();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped: the engine is done (or the job was cancelled), and the lease goes with the job's next write.
            }
        }

        /// <summary>Ends the job through its owner; anything but success is refunded.</summary>
        public async Task FinishAsync(string status, string? code, string? message, CancellationToken stoppingToken)
        {
            EndStage(time.GetUtcNow());
            TryonMetrics.Finished(status, code);
            await _jobs.FinishAsync(job, owner, status, code, message, CancellationToken.None);
        }

        public Task RequeueAsync(CancellationToken stoppingToken, bool forgetUnfinishedSteps = false) =>
            _jobs.RequeueAsync(job, owner, forgetUnfinishedSteps, CancellationToken.None);

        /// <summary>Records a stage (renewing the lease), stores its preview and tells the user; notices cancel requests.</summary>
        private async Task ReportAsync(TryonProgress stage, CancellationToken cancellationToken)
        {
            if (stage.Stage == "done")
            {
                return;
            }

            await _writing.WaitAsync(cancellationToken);
            try
            {
                await ReportLockedAsync(stage, cancellationToken);
            }
            finally
            {
                _writing.Release();
            }
        }

        private async Task ReportLockedAsync(TryonProgress stage, CancellationToken cancellationToken)
        {
            string? previewKey = null;
            if (stage.PreviewJpeg is { } preview)
            {
                previewKey = $"{Prefix}/preview-{stage.Stage}.jpg";
                await _objects.PutAsync(previewKey, new MemoryStream(preview, writable: false), "image/jpeg", cancellationToken);
            }

            var at = time.GetUtcNow();
            EndStage(at);
            _currentStage = (stage.Stage, at);
            job.LeaseExpiresAt = at.UtcDateTime.Add(options.Lease);
            if (await _jobs.ReportAsync(job, owner, stage.Stage, stage.Percent, previewKey, cancellationToken) != RunningWrite.Written)
            {
                // Cancelled or deleted by the user, or claimed by another worker after this one's lease ran out: stop.
                await _cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        /// <summary>Closes the running stage as a span of its own under the job's trace, and records its duration.</summary>
        private void EndStage(DateTimeOffset at)
        {
            if (_currentStage is not { } current)
            {
                return;
            }

            _currentStage = null;
            TryonMetrics.StageFinished(current.Stage, at - current.Started);
            using var span = Activities.StartActivity($"tryon.stage.{current.Stage}", ActivityKind.Internal, parent, startTime: current.Started);
            span?.SetTag("wearit.tryon.id", job.Id);
            span?.SetEndTime(at.UtcDateTime);
        }

        /// <summary>The body's analysis from its upload, masks and all; null for a body that has none.</summary>
        private async Task<PersonAnalysis?> ReadAnalysisAsync(CancellationToken cancellationToken)
        {
            if (job.BodyAnalysis is not { } stored)
            {
                return null;
            }

            async Task<byte[]> Mask(string key) => MaskImages.Decode(await ReadAsync(key, cancellationToken), stored.Width, stored.Height);
            var masks = await Task.WhenAll(Mask(stored.PersonMaskKey), Mask(stored.UpperRegionKey), Mask(stored.LowerRegionKey), Mask(stored.FullRegionKey));
            return stored.ToPersonAnalysis(masks[0], masks[1], masks[2], masks[3]);
        }

        private async Task<byte[]> ReadAsync(string key, CancellationToken cancellationToken) =>
            await _objects.ReadAllBytesAsync(key, cancellationToken)
                ?? throw new TryonFailedException("tryon_input_missing", "A photo or garment of this try-on no longer exists.");

        /// <summary>Forwards stages on the engine's thread, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
        private sealed class Progress(Action<TryonProgress> report) : IProgress<TryonProgress>
        {
            public void Report(TryonProgress value) => report(value);
        }
    }
}
