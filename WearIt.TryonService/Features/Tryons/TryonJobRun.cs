using System.Diagnostics;
using System.Threading.Channels;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Hosted;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>One claimed job on its way through the engine, writing each step back under the lease.</summary>
internal sealed class TryonJobRun(
    TryonJob job, string owner, TryonJobs jobs, IObjectStore objects, ITryonEngine engine, TimeProvider time, TryonOptions options, ActivityContext parent)
    : IHostedTryonJob, IDisposable
{
    private (string Stage, DateTimeOffset Started)? _currentStage;
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
        await WritingAsync(() => SaveStepLockedAsync(step, cancellationToken), cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/> alone: stages, provider steps and lease renewals all write the same job document.</summary>
    private async Task WritingAsync(Func<Task> write, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            await write();
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
        switch (await jobs.WriteRunningAsync(job, owner, cancellationToken))
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
            using (EngineTelemetry.Activities.StartActivity("tryon.engine"))
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

        using (EngineTelemetry.Activities.StartActivity("tryon.uploading"))
        {
            await ReportAsync(new TryonProgress("uploading", 90, null), linked.Token);
            var key = $"{Prefix}/result.png";
            await objects.PutAsync(key, new MemoryStream(result.Image, writable: false), result.ContentType, linked.Token);
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
                    if (await jobs.WriteRunningAsync(job, owner, running) != RunningWrite.Written)
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
        await jobs.FinishAsync(job, owner, status, code, message, CancellationToken.None);
    }

    public Task RequeueAsync(CancellationToken stoppingToken, bool forgetUnfinishedSteps = false) =>
        jobs.RequeueAsync(job, owner, forgetUnfinishedSteps, CancellationToken.None);

    /// <summary>Records a stage (renewing the lease), stores its preview and tells the user; notices cancel requests.</summary>
    private async Task ReportAsync(TryonProgress stage, CancellationToken cancellationToken)
    {
        if (stage.Stage == "done")
        {
            return;
        }

        await WritingAsync(() => ReportLockedAsync(stage, cancellationToken), cancellationToken);
    }

    private async Task ReportLockedAsync(TryonProgress stage, CancellationToken cancellationToken)
    {
        string? previewKey = null;
        if (stage.PreviewJpeg is { } preview)
        {
            previewKey = $"{Prefix}/preview-{stage.Stage}.jpg";
            await objects.PutAsync(previewKey, new MemoryStream(preview, writable: false), "image/jpeg", cancellationToken);
        }

        var at = time.GetUtcNow();
        EndStage(at);
        _currentStage = (stage.Stage, at);
        job.LeaseExpiresAt = at.UtcDateTime.Add(options.Lease);
        if (await jobs.ReportAsync(job, owner, stage.Stage, stage.Percent, previewKey, cancellationToken) != RunningWrite.Written)
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
        using var span = EngineTelemetry.Activities.StartActivity($"tryon.stage.{current.Stage}", ActivityKind.Internal, parent, startTime: current.Started);
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
        await objects.ReadAllBytesAsync(key, cancellationToken)
            ?? throw new TryonFailedException("tryon_input_missing", "A photo or garment of this try-on no longer exists.");

    public void Dispose()
    {
        _cancel.Dispose();
        _writing.Dispose();
    }

    /// <summary>Forwards stages on the engine's thread, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Progress(Action<TryonProgress> report) : IProgress<TryonProgress>
    {
        public void Report(TryonProgress value) => report(value);
    }
}
