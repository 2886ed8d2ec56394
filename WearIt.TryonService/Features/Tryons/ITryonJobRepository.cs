namespace WearIt.TryonService.Features.Tryons;

/// <summary>Stores try-on jobs; user-facing reads are scoped to one user.</summary>
public interface ITryonJobRepository
{
    /// <summary>Inserts a job; false when its idempotency key is already used.</summary>
    Task<bool> TryInsertAsync(TryonJob job, CancellationToken cancellationToken);

    Task<TryonJob?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken);

    Task<TryonJob?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The user's jobs, newest first, optionally for one body.</summary>
    Task<IReadOnlyList<TryonJob>> ListAsync(Guid userId, Guid? bodyId, CancellationToken cancellationToken);

    /// <summary>The highest version of this outfit so far, or 0.</summary>
    Task<int> MaxVersionAsync(Guid userId, string outfitKey, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically takes the oldest queued job, or a running job whose lease expired, for <paramref name="owner"/>:
    /// status running, lease until <paramref name="leaseUntil"/>, attempts + 1. Null when there is none.
    /// </summary>
    Task<TryonJob?> TryClaimAsync(string owner, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the job only if it still has <paramref name="expectedStatus"/> and <paramref name="expectedOwner"/>,
    /// and no cancel or delete request arrived that <paramref name="job"/> has not seen. False means: read it again.
    /// </summary>
    Task<bool> TryReplaceAsync(TryonJob job, string expectedStatus, string? expectedOwner, CancellationToken cancellationToken);

    /// <summary>Marks the user's job for cancelling, and with <paramref name="delete"/> for removal (atomically); false when there is no such job.</summary>
    Task<bool> RequestCancelAsync(Guid userId, Guid id, bool delete, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken);

    /// <summary>How many jobs wait for a worker.</summary>
    Task<long> CountQueuedAsync(CancellationToken cancellationToken);

    /// <summary>Finished jobs whose refund ApiService has not confirmed yet, oldest first, past the first <paramref name="skip"/>.</summary>
    Task<IReadOnlyList<TryonJob>> ListRefundPendingAsync(int skip, int limit, CancellationToken cancellationToken);

    /// <summary>Jobs still waiting for their payment to be confirmed that were created before <paramref name="createdBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<TryonJob>> ListPendingPaymentAsync(DateTime createdBefore, int limit, CancellationToken cancellationToken);

    /// <summary>Records that the job's refund was confirmed.</summary>
    Task MarkRefundedAsync(Guid id, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}

/// <summary>The durable, per-user numbered event log that clients resume from.</summary>
public interface ITryonEventLog
{
    /// <summary>Appends the event with the user's next sequence number (set on the event) and returns it.</summary>
    Task<TryonEvent> AppendAsync(TryonEvent tryonEvent, CancellationToken cancellationToken);

    /// <summary>The user's newest sequence number, or 0 when the user has no events.</summary>
    Task<long> LatestSeqAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The user's events after <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<TryonEvent>> ListAfterAsync(Guid userId, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>The users with an event created after <paramref name="since"/>, each once (what the socket feed polls).</summary>
    Task<IReadOnlyList<Guid>> UsersWithEventsAfterAsync(DateTime since, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}
