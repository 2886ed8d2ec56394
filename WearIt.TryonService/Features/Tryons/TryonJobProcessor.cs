using System.Diagnostics;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Takes one claimed job to its outcome: runs it through the engine (<see cref="TryonJobRun"/>), and decides what an
/// error means for it: another attempt, a failure (refunded), a cancel, or back to the queue when the service stops.
/// </summary>
internal sealed partial class TryonJobProcessor(
    TryonJobs jobs, IObjectStore objects, ITryonEngine engine, IOptions<TryonOptions> options, TimeProvider time, ILogger<TryonJobProcessor> logger)
{
    private TryonOptions Options => options.Value;

    public async Task ProcessAsync(TryonJob job, string owner, CancellationToken stoppingToken)
    {
        // The job's own trace, linked to the request that accepted it (where the body, garments and credit were fetched).
        ActivityLink[] links = ActivityContext.TryParse(job.TraceParent, null, out var accepted) ? [new ActivityLink(accepted)] : [];
        using var activity = EngineTelemetry.Activities.StartActivity("tryon.job", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("wearit.tryon.id", job.Id);
        activity?.SetTag("wearit.user.id", job.UserId);
        using var run = new TryonJobRun(job, owner, jobs, objects, engine, time, Options, activity?.Context ?? default);
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
}
