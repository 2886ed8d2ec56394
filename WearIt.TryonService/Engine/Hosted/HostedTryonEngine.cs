using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// Runs a try-on on a hosted provider (<see cref="IHostedProvider"/>), one provider call per garment: a top (or a dress)
/// first, then a bottom on its result. Each call is created once: its prediction id is stored on the job before it is
/// read, so a job claimed again after a crash reads that prediction instead of paying for another; only a rate-limit
/// refusal that created nothing is retried, after the provider's delay or a doubling backoff. The result is downloaded
/// from wherever the provider put it at once (Replicate deletes outputs after an hour) and checked as an upload is.
/// </summary>
public sealed partial class HostedTryonEngine(
    IHostedProvider provider,
    HttpClient downloads,
    IObjectStore objects,
    ProviderSignals signals,
    IOptions<HostedEngineOptions> tryonOptions,
    TimeProvider time,
    ILogger<HostedTryonEngine> logger) : ITryonEngine
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan InputUrlLifetime = TimeSpan.FromMinutes(30);
    private static readonly Meter Meter = new(EngineTelemetry.Name);
    private static readonly Histogram<double> ProviderTime = Meter.CreateHistogram<double>(
        "wearit.tryon.provider.duration", "s", "How long a hosted provider took for one garment, from create to a downloaded result.");

    public async Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new TryonProgress("validating", 5, null));
        Outfit.Check(request.Garments);
        // A hosted model dresses one garment at a time: the top first, then the bottom on the photo wearing it.
        var garments = request.Garments.OrderBy(garment => garment.ClothType == "lower" ? 1 : 0).ToList();
        var current = new StepResult(request.BodyPhoto, 0, 0, "");
        for (var step = 0; step < garments.Count; step++)
        {
            var (from, to) = (10 + (85 * step / garments.Count), 10 + (85 * (step + 1) / garments.Count));
            current = await RunStepAsync(request, step, step == garments.Count - 1, current.Image, garments[step], new StageRange(progress, from, to), cancellationToken);
        }

        progress.Report(new TryonProgress("done", 100, null));
        return new TryonResult(current.Image, current.ContentType, current.Width, current.Height, []);
    }

    /// <summary>One provider call's result, checked as an upload is (its size and type read off that check).</summary>
    private sealed record StepResult(byte[] Image, int Width, int Height, string ContentType)
    {
        public static StepResult Checked(byte[] image)
        {
            var (width, height, contentType) = ProviderImages.CheckResult(image);
            return new StepResult(image, width, height, contentType);
        }
    }

    private async Task<StepResult> RunStepAsync(TryonRequest request, int index, bool last, byte[] person, GarmentInput garment, StageRange stages, CancellationToken cancellationToken)
    {
        var job = request.Job;
        var saved = job?.Steps.FirstOrDefault(step => step.Index == index && step.Provider == provider.Name);
        if (saved?.ResultKey is { } resultKey && await objects.ReadAllBytesAsync(resultKey, cancellationToken) is { } stored)
        {
            return StepResult.Checked(stored);
        }

        var started = time.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(provider.Timeout);
        string? id = saved?.PredictionId;
        try
        {
            ProviderPrediction prediction;
            if (id is null)
            {
                stages.Report("submitting", 0);
                var inputs = new ProviderInputs(
                    await ImageInputAsync(person, $"person-{index}", job, deadline.Token),
                    await ImageInputAsync(garment.Image, $"garment-{index}", job, deadline.Token),
                    garment.ClothType, garment.Title, request.Mode, request.Seed);
                prediction = await CreateAsync(inputs, deadline.Token);
                id = prediction.Id;
                if (job is not null)
                {
                    await job.SaveStepAsync(new ProviderStep { Index = index, Provider = provider.Name, PredictionId = id }, CancellationToken.None);
                }
            }
            else
            {
                LogResumed(logger, provider.Name, id, job?.Id);
                prediction = new ProviderPrediction(id, ProviderState.Queued);
            }

            // The provider's id on the job's span (the engine's span's parent) and on the engine's own.
            Activity.Current?.SetTag("wearit.provider.prediction_id", id);
            Activity.Current?.Parent?.SetTag("wearit.provider.prediction_id", id);

            var processingReads = 0;
            while (prediction.State is ProviderState.Queued or ProviderState.Processing)
            {
                // Providers report no progress: "processing" creeps up a little with each read.
                stages.Report(prediction.State == ProviderState.Queued ? "queued" : "processing",
                    prediction.State == ProviderState.Queued ? 0.1 : Math.Min(0.8, 0.2 + (0.05 * processingReads++)));
                await signals.WaitAsync(provider.Name, id, provider.PollInterval, deadline.Token);
                prediction = await ReadAsync(id, prediction, deadline.Token);
            }

            if (prediction.State == ProviderState.Failed)
            {
                throw prediction.Failure ?? new TryonFailedException("provider_failed", "The try-on provider failed without saying why.", retryable: true);
            }

            stages.Report("downloading", 0.9);
            var image = StepResult.Checked(await DownloadAsync(prediction.Output!, deadline.Token));
            if (job is not null && !last)
            {
                // The second garment is put on this result: it is kept, so a crash does not pay for the first again.
                var key = $"{job.ObjectPrefix}/provider-step-{index}";
                await objects.PutAsync(key, new MemoryStream(image.Image, writable: false), image.ContentType, CancellationToken.None);
                await job.SaveStepAsync(new ProviderStep { Index = index, Provider = provider.Name, PredictionId = id, ResultKey = key }, CancellationToken.None);
            }

            ProviderTime.Record(time.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("provider", provider.Name));
            return image;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await CancelQuietlyAsync(id);
            throw new TryonFailedException("provider_failed", $"The try-on provider did not finish within {provider.Timeout.TotalSeconds:0} s.", retryable: true);
        }
        catch (OperationCanceledException) when (job?.CancelRequested == true)
        {
            // The user cancelled: the provider stops too. A shutdown leaves the prediction running for the next claim.
            await CancelQuietlyAsync(id);
            throw;
        }
    }

    /// <summary>Creates the prediction; a rate-limit refusal that created nothing waits and tries again, until the deadline.</summary>
    private async Task<ProviderPrediction> CreateAsync(ProviderInputs inputs, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            using var span = EngineTelemetry.Activities.StartActivity($"provider.{provider.Name}.create", ActivityKind.Client);
            try
            {
                var created = await provider.CreateAsync(inputs, WebhookUrl(), cancellationToken);
                span?.SetTag("wearit.provider.prediction_id", created.Id);
                return created;
            }
            catch (ProviderRateLimitedException ex) when (ex.Id is { } id)
            {
                span?.SetTag("wearit.provider.prediction_id", id);
                return new ProviderPrediction(id, ProviderState.Queued);
            }
            catch (ProviderRateLimitedException ex)
            {
                var wait = ex.RetryAfter ?? backoff;
                span?.SetTag("wearit.provider.rate_limited_for_s", wait.TotalSeconds);
                LogRateLimited(logger, provider.Name, wait.TotalSeconds);
                await Task.Delay(wait, time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }

    /// <summary>Reads the prediction; a read that fails for a passing reason (network, 5xx, 429) is tried at the next interval.</summary>
    private async Task<ProviderPrediction> ReadAsync(string id, ProviderPrediction last, CancellationToken cancellationToken)
    {
        using var span = EngineTelemetry.Activities.StartActivity($"provider.{provider.Name}.get", ActivityKind.Client);
        span?.SetTag("wearit.provider.prediction_id", id);
        try
        {
            return await provider.GetAsync(id, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ProviderRateLimitedException || ex is TryonFailedException { Retryable: true })
        {
            LogReadFailed(logger, provider.Name, id, ex.Message);
            return last;
        }
    }

    private async Task<byte[]> DownloadAsync(Uri output, CancellationToken cancellationToken)
    {
        using var span = EngineTelemetry.Activities.StartActivity($"provider.{provider.Name}.download", ActivityKind.Client);
        try
        {
            using var response = await downloads.GetAsync(output, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new TryonFailedException("provider_failed", $"The try-on provider's result could not be downloaded ({(int)response.StatusCode}).", retryable: true);
            }

            // Read no more than an upload may weigh (and one byte to know it was more).
            var limit = ServiceDefaults.Imaging.ImageLimits.Uploads.MaxBytes;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0 && buffer.Length <= limit)
            {
                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        catch (HttpRequestException ex)
        {
            throw new TryonFailedException("provider_failed", $"The try-on provider's result could not be downloaded: {ex.Message}", retryable: true, ex);
        }
    }

    /// <summary>
    /// An image for the provider: with a public base URL, a signed URL of a JPEG copy kept with the job; without one, a
    /// <c>data:</c> URI of that JPEG (at most 1 MB).
    /// </summary>
    private async Task<string> ImageInputAsync(byte[] image, string name, IHostedTryonJob? job, CancellationToken cancellationToken)
    {
        var jpeg = ProviderImages.Jpeg(image);
        if (PublicBaseUrl is not { } publicBase || job is null)
        {
            return "data:image/jpeg;base64," + Convert.ToBase64String(jpeg);
        }

        var key = $"{job.ObjectPrefix}/provider-{name}.jpg";
        await objects.PutAsync(key, new MemoryStream(jpeg, writable: false), "image/jpeg", cancellationToken);
        var url = objects is FileSystemObjectStore files
            ? files.GetSignedGetUrl(key, InputUrlLifetime, publicBase)
            : await objects.GetSignedGetUrlAsync(key, InputUrlLifetime, cancellationToken);
        return url.ToString();
    }

    private Uri? PublicBaseUrl => string.IsNullOrWhiteSpace(tryonOptions.Value.PublicBaseUrl) ? null : new Uri(tryonOptions.Value.PublicBaseUrl.TrimEnd('/') + "/");

    private Uri? WebhookUrl() => PublicBaseUrl is { } publicBase ? new Uri(publicBase, ProviderWebhooks.PathFor(provider.Name).TrimStart('/')) : null;

    private async Task CancelQuietlyAsync(string? id)
    {
        if (id is null)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await provider.CancelAsync(id, timeout.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TryonFailedException)
        {
            LogCancelFailed(logger, provider.Name, id, ex.Message);
        }
    }

    /// <summary>One provider call's stages, as shares of its part of the whole try-on's percentage; a repeat is not reported.</summary>
    private sealed class StageRange(IProgress<TryonProgress> progress, int from, int to)
    {
        private (string Stage, int Percent)? _last;

        public void Report(string stage, double share)
        {
            var percent = from + (int)Math.Round((to - from) * share);
            if (_last == (stage, percent))
            {
                return;
            }

            _last = (stage, percent);
            progress.Report(new TryonProgress(stage, percent, null));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reading {Provider} prediction {PredictionId} again for try-on {TryonId} (claimed again)")]
    private static partial void LogResumed(ILogger logger, string provider, string predictionId, Guid? tryonId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} is rate limiting WearIt; trying again in {Seconds} s")]
    private static partial void LogRateLimited(ILogger logger, string provider, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading {Provider} prediction {PredictionId} failed for now: {Reason}")]
    private static partial void LogReadFailed(ILogger logger, string provider, string predictionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling {Provider} prediction {PredictionId} failed: {Reason}")]
    private static partial void LogCancelFailed(ILogger logger, string provider, string predictionId, string reason);
}
