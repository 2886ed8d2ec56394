using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// The one owner of try-on job state: every change of a job (create, pay, claim, report, finish, requeue, cancel,
/// delete, refund) is made here, checked against the allowed moves of <see cref="TryonStatus"/>, and announced with its
/// <see cref="TryonEventTypes"/> event. The request path, the workers and the settlement sweep only call it.
/// </summary>
/// <remarks>
/// Writes are optimistic: a replace names the status and lease owner it expects and fails when a cancel or delete
/// request arrived that the writer has not seen, so such a request is never overwritten. A deletion of an unfinished
/// job is a cancel through the job's own path (the worker running it, or the queue) with the deletion carried out once
/// the job has ended and any refund is confirmed: the refund is decided by the move that ends the job, never by a read.
/// </remarks>
public sealed partial class TryonJobs(
    ITryonJobRepository jobs, ITryonEventLog events, TryonEventFeed feed, IApiServiceClient apiService, IObjectStore objects,
    TryonQueueSignal queued, TimeProvider time, ILogger<TryonJobs> logger)
{
    /// <summary>Stores a new job in <see cref="TryonStatus.PendingPayment"/>; false when its idempotency key is taken.</summary>
    public Task<bool> CreatePendingAsync(TryonJob job, CancellationToken cancellationToken)
    {
        if (job.Status != TryonStatus.PendingPayment)
        {
            throw new InvalidOperationException($"A try-on starts {TryonStatus.PendingPayment}, not {job.Status}.");
        }

        return jobs.TryInsertAsync(job, cancellationToken);
    }

    /// <summary>
    /// Makes a paid pending job claimable and tells the user. False when it cannot run: removed meanwhile (then
    /// refunded) or cancelled while pending (then ended as cancelled and refunded).
    /// </summary>
    public async Task<bool> QueuePaidAsync(TryonJob job, CancellationToken cancellationToken)
    {
        Move(job, TryonStatus.Queued);
        if (await jobs.TryReplaceAsync(job, TryonStatus.PendingPayment, null, cancellationToken))
        {
            queued.Wake.Signal();
            await AnnounceAsync(job, TryonEventTypes.Queued, cancellationToken);
            return true;
        }

        var stored = await jobs.FindAsync(job.UserId, job.Id, cancellationToken);
        if (stored is null)
        {
            // Removed by the payment sweep after it was charged: the credit goes back.
            job.DeleteRequested = true;
            await RefundAsync(job, cancellationToken);
            return false;
        }

        if (stored.Status != TryonStatus.PendingPayment)
        {
            return stored.Status != TryonStatus.Canceled; // queued already by whoever settled it first
        }

        // Cancelled (or deleted) while its payment was on the way: it ends here, refunded.
        Move(stored, TryonStatus.Canceled);
        stored.RefundPending = true;
        if (await jobs.TryReplaceAsync(stored, TryonStatus.PendingPayment, null, cancellationToken))
        {
            await EndAsync(stored, TryonEventTypes.Canceled, cancellationToken);
        }

        return false;
    }

    /// <summary>Removes a pending job that was never paid, then refunds in case a spend landed meanwhile.</summary>
    public async Task RemoveUnpaidAsync(TryonJob job, CancellationToken cancellationToken)
    {
        await jobs.DeleteAsync(job.UserId, job.Id, cancellationToken);
        await RefundAsync(job, cancellationToken);
    }

    /// <summary>Claims the oldest queued job (or one whose lease ran out) for <paramref name="owner"/>.</summary>
    public Task<TryonJob?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return jobs.TryClaimAsync(owner, now, now.Add(lease), cancellationToken);
    }

    /// <summary>
    /// Writes a running job back under its lease (progress, a provider step, a renewal). A cancel or delete request
    /// that arrived meanwhile is taken into the job and written with it.
    /// </summary>
    public async Task<RunningWrite> WriteRunningAsync(TryonJob job, string owner, CancellationToken cancellationToken)
    {
        if (job.Status != TryonStatus.Running)
        {
            throw new InvalidOperationException($"Only a running try-on is written under its lease, not a {job.Status} one.");
        }

        job.UpdatedAt = time.GetUtcNow().UtcDateTime;
        if (await jobs.TryReplaceAsync(job, TryonStatus.Running, owner, cancellationToken))
        {
            return job.CancelRequested ? RunningWrite.CancelRequested : RunningWrite.Written;
        }

        var stored = await jobs.FindAsync(job.UserId, job.Id, cancellationToken);
        if (stored is null || stored.Status != TryonStatus.Running || stored.LeaseOwner != owner)
        {
            return RunningWrite.Lost;
        }

        job.CancelRequested = stored.CancelRequested;
        job.DeleteRequested = stored.DeleteRequested;
        return !await jobs.TryReplaceAsync(job, TryonStatus.Running, owner, cancellationToken) ? RunningWrite.Lost
            : job.CancelRequested ? RunningWrite.CancelRequested
            : RunningWrite.Written;
    }

    /// <summary>Records a stage of a running job and tells the user, unless the job was cancelled or lost meanwhile.</summary>
    public async Task<RunningWrite> ReportAsync(TryonJob job, string owner, string stage, int percent, string? previewKey, CancellationToken cancellationToken)
    {
        job.Stage = stage;
        job.Percent = percent;
        var written = await WriteRunningAsync(job, owner, cancellationToken);
        if (written == RunningWrite.Written)
        {
            await AnnounceAsync(job, TryonEventTypes.Progress, cancellationToken, stage, percent, previewKey);
        }

        return written;
    }

    /// <summary>
    /// Ends a running job: succeeded, failed or cancelled. Anything but success is refunded; a job whose deletion
    /// was asked for is removed once that is settled. False when the job was no longer this worker's.
    /// </summary>
    public async Task<bool> FinishAsync(TryonJob job, string owner, string status, string? code, string? message, CancellationToken cancellationToken)
    {
        Move(job, status);
        job.Stage = status == TryonStatus.Succeeded ? "done" : job.Stage;
        job.Percent = status == TryonStatus.Succeeded ? 100 : job.Percent;
        job.ErrorCode = code;
        job.ErrorMessage = message;
        job.LeaseOwner = null;
        job.LeaseExpiresAt = null;
        job.RefundPending = status != TryonStatus.Succeeded;
        job.CancelRequested |= status == TryonStatus.Canceled;
        if (!await ReplaceFromRunningAsync(job, owner, cancellationToken))
        {
            return false; // deleted, or taken over after the lease ran out: whoever holds it now finishes it
        }

        await EndAsync(job, TryonEventTypes.Finished(status), cancellationToken, code, message);
        return true;
    }

    /// <summary>Puts a running job back in the queue (a retry, a shutdown), optionally forgetting unfinished provider calls.</summary>
    public async Task RequeueAsync(TryonJob job, string owner, bool forgetUnfinishedSteps, CancellationToken cancellationToken)
    {
        if (forgetUnfinishedSteps)
        {
            job.ProviderSteps.RemoveAll(step => step.ResultKey is null);
        }

        Move(job, TryonStatus.Queued);
        job.LeaseOwner = null;
        job.LeaseExpiresAt = null;
        if (await ReplaceFromRunningAsync(job, owner, cancellationToken))
        {
            queued.Wake.Signal();
        }
    }

    /// <summary>Cancels a queued job at once (refunded); a running or pending one is asked to stop. A finished job cannot be cancelled.</summary>
    public async Task<TryonJob> CancelAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var job = await FindVisibleAsync(userId, id, cancellationToken);
        if (TryonStatus.IsFinished(job.Status))
        {
            throw new DomainException(ErrorKind.Conflict, "tryon_finished", $"The try-on already {job.Status}.");
        }

        if (job.Status == TryonStatus.Queued && await CancelQueuedAsync(job, deleteAfterwards: false, cancellationToken))
        {
            return job;
        }

        await jobs.RequestCancelAsync(userId, id, delete: false, cancellationToken);
        return await FindVisibleAsync(userId, id, cancellationToken);
    }

    /// <summary>
    /// Deletes the job and its stored result and previews. An unfinished job is cancelled through its owner first
    /// (queued: cancelled and refunded now; running or pending: asked to stop, its worker or the sweep ends and refunds
    /// it), and removed once it has ended and its refund is confirmed. It is gone from the user's view at once.
    /// </summary>
    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var job = await FindVisibleAsync(userId, id, cancellationToken);
        if (TryonStatus.IsFinished(job.Status) && !job.RefundPending)
        {
            await RemoveAsync(job, cancellationToken);
            return;
        }

        if (job.Status == TryonStatus.Queued && await CancelQueuedAsync(job, deleteAfterwards: true, cancellationToken))
        {
            return;
        }

        await jobs.RequestCancelAsync(userId, id, delete: true, cancellationToken);
        if (TryonStatus.IsFinished(job.Status))
        {
            // Finished with its refund unconfirmed: asked again now, removed once ApiService confirms it.
            job.DeleteRequested = true;
            await RefundAsync(job, cancellationToken);
        }
    }

    /// <summary>A job as its owner sees it: one being deleted is already gone.</summary>
    public async Task<TryonJob> FindVisibleAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await jobs.FindAsync(userId, id, cancellationToken) is { DeleteRequested: false } job ? job : throw DomainException.NotFound("The try-on");

    /// <summary>
    /// Asks ApiService for a finished job's refund (unreachable, the settlement sweep asks again) and, once it is
    /// confirmed, removes a job whose deletion was asked for.
    /// </summary>
    public async Task RefundAsync(TryonJob job, CancellationToken cancellationToken)
    {
        if (await TryRefundAsync(job, cancellationToken) && job.DeleteRequested)
        {
            await RemoveAsync(job, cancellationToken);
        }
    }

    /// <summary>Whether the refund is confirmed (or there was nothing to give back).</summary>
    private async Task<bool> TryRefundAsync(TryonJob job, CancellationToken cancellationToken)
    {
        try
        {
            await apiService.RefundCreditAsync(job.UserId, job.Id, cancellationToken);
        }
        catch (DomainException ex) when (ex.Kind == ErrorKind.DependencyUnavailable)
        {
            LogRefundDeferred(logger, job.Id, ex.Message);
            return false; // RefundPending stays set
        }
        catch (DomainException ex) when (ex.Code == "spend_not_found")
        {
            // Never charged (its spend was refused or never happened): nothing to give back.
        }

        await jobs.MarkRefundedAsync(job.Id, cancellationToken);
        job.RefundPending = false;
        return true;
    }

    private async Task<bool> CancelQueuedAsync(TryonJob job, bool deleteAfterwards, CancellationToken cancellationToken)
    {
        Move(job, TryonStatus.Canceled);
        job.CancelRequested = true;
        job.DeleteRequested = deleteAfterwards;
        job.RefundPending = true;
        if (!await jobs.TryReplaceAsync(job, TryonStatus.Queued, null, cancellationToken))
        {
            return false; // claimed meanwhile: its worker is asked instead
        }

        await EndAsync(job, TryonEventTypes.Canceled, cancellationToken);
        return true;
    }

    /// <summary>
    /// What a job that just ended still needs, in this order: its refund, its event (so whoever sees the event sees
    /// the refund), then, if its deletion was asked for and nothing is owed, its removal.
    /// </summary>
    private async Task EndAsync(TryonJob job, string type, CancellationToken cancellationToken, string? code = null, string? message = null)
    {
        var settled = !job.RefundPending || await TryRefundAsync(job, cancellationToken);
        await AnnounceAsync(job, type, cancellationToken, errorCode: code, errorMessage: message);
        if (settled && job.DeleteRequested)
        {
            await RemoveAsync(job, cancellationToken);
        }
    }

    /// <summary>Replaces a job its worker moved out of running, taking in a cancel or delete request that came meanwhile.</summary>
    private async Task<bool> ReplaceFromRunningAsync(TryonJob job, string owner, CancellationToken cancellationToken)
    {
        if (await jobs.TryReplaceAsync(job, TryonStatus.Running, owner, cancellationToken))
        {
            return true;
        }

        var stored = await jobs.FindAsync(job.UserId, job.Id, cancellationToken);
        if (stored is null || stored.Status != TryonStatus.Running || stored.LeaseOwner != owner)
        {
            return false;
        }

        job.CancelRequested |= stored.CancelRequested;
        job.DeleteRequested |= stored.DeleteRequested;
        return await jobs.TryReplaceAsync(job, TryonStatus.Running, owner, cancellationToken);
    }

    private async Task RemoveAsync(TryonJob job, CancellationToken cancellationToken)
    {
        await jobs.DeleteAsync(job.UserId, job.Id, cancellationToken);
        await objects.DeleteByPrefixAsync($"users/{job.UserId}/tryons/{job.Id}/", cancellationToken);
    }

    private void Move(TryonJob job, string to)
    {
        if (!TryonStatus.CanMove(job.Status, to))
        {
            throw new InvalidOperationException($"A try-on cannot go from {job.Status} to {to}.");
        }

        job.Status = to;
        job.UpdatedAt = time.GetUtcNow().UtcDateTime;
    }

    private async Task AnnounceAsync(TryonJob job, string type, CancellationToken cancellationToken,
        string? stage = null, int? percent = null, string? previewKey = null, string? errorCode = null, string? errorMessage = null)
    {
        await events.AppendAsync(new TryonEvent
        {
            UserId = job.UserId,
            JobId = job.Id,
            Type = type,
            Stage = stage,
            Percent = percent,
            PreviewKey = previewKey,
            ErrorCode = errorCode,
            ErrorMessage = errorMessage,
            CreatedAt = job.UpdatedAt,
        }, cancellationToken);
        // This instance's sockets of the user read it now; other instances' find it in their next poll.
        feed.Notify(job.UserId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The refund of try-on {TryonId} is not confirmed yet; the sweep asks again: {Reason}")]
    private static partial void LogRefundDeferred(ILogger logger, Guid tryonId, string reason);
}

/// <summary>How a write of a running job went.</summary>
public enum RunningWrite
{
    /// <summary>Written; the job goes on.</summary>
    Written,

    /// <summary>Written, and the user asked for the job to stop (cancel or delete): the worker stops and ends it cancelled.</summary>
    CancelRequested,

    /// <summary>Not written: the job was deleted or claimed by another worker after this one's lease ran out.</summary>
    Lost,
}

/// <summary>The event types of the try-on stream (docs/tryon-websocket.md).</summary>
public static class TryonEventTypes
{
    public const string Queued = "tryon.queued";
    public const string Progress = "tryon.progress";
    public const string Succeeded = "tryon.succeeded";
    public const string Failed = "tryon.failed";
    public const string Canceled = "tryon.canceled";

    /// <summary>The event of a job that ended with <paramref name="status"/>.</summary>
    public static string Finished(string status) => status switch
    {
        TryonStatus.Succeeded => Succeeded,
        TryonStatus.Failed => Failed,
        TryonStatus.Canceled => Canceled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a finished status."),
    };
}

/// <summary>
/// Wakes this instance's idle workers when a job is queued here, so it starts at once; the workers' poll
/// (<see cref="TryonOptions.PollInterval"/>) stays as the fallback for jobs queued on other instances.
/// </summary>
public sealed class TryonQueueSignal(Microsoft.Extensions.Options.IOptions<TryonOptions> options)
{
    public WearIt.ServiceDefaults.Health.IdleWake Wake { get; } = new(Math.Max(1, options.Value.Concurrency));
}
