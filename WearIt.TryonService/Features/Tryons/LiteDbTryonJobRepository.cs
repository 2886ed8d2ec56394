using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>Jobs in LiteDB collection <c>tryon_jobs</c> (embedded mode).</summary>
public sealed class LiteDbTryonJobRepository(ILiteDatabase database) : ITryonJobRepository, IRequiresIndexes
{
    private readonly ILiteCollection<TryonJob> _jobs = database.GetCollection<TryonJob>("tryon_jobs");

    // NOTE: one process owns an embedded database; this gate makes claims and conditional replaces atomic within it.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _jobs.EnsureIndex(job => job.UserId);
        _jobs.EnsureIndex(job => job.Status);
        _jobs.EnsureIndex(job => job.IdempotencyKey);
        return Task.CompletedTask;
    }

    public Task<bool> TryInsertAsync(TryonJob job, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var key = job.IdempotencyKey;
            if (key is not null && _jobs.Exists(stored => stored.IdempotencyKey == key))
            {
                return Task.FromResult(false);
            }

            _jobs.Insert(job);
            return Task.FromResult(true);
        }
    }

    public Task<TryonJob?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var job = _jobs.FindById(id);
        return Task.FromResult(job?.UserId == userId ? job : null);
    }

    public Task<TryonJob?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<TryonJob?>(_jobs.FindOne(job => job.IdempotencyKey == idempotencyKey));

    public Task<IReadOnlyList<TryonJob>> ListAsync(Guid userId, Guid? bodyId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TryonJob>>(_jobs.Find(job => job.UserId == userId)
            .Where(job => bodyId is null || job.BodyId == bodyId)
            .OrderByDescending(job => job.CreatedAt)
            .ToList());

    public Task<int> MaxVersionAsync(Guid userId, string outfitKey, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.Find(job => job.UserId == userId).Where(job => job.OutfitKey == outfitKey).Select(job => job.Version).DefaultIfEmpty(0).Max());

    public Task<TryonJob?> TryClaimAsync(string owner, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var job = _jobs.Find(job => job.Status == TryonStatus.Queued || job.Status == TryonStatus.Running)
                .Where(job => job.Status == TryonStatus.Queued || job.LeaseExpiresAt <= now)
                .OrderBy(job => job.CreatedAt)
                .FirstOrDefault();
            if (job is null)
            {
                return Task.FromResult<TryonJob?>(null);
            }

            job.Status = TryonStatus.Running;
            job.LeaseOwner = owner;
            job.LeaseExpiresAt = leaseUntil;
            job.Attempts++;
            job.UpdatedAt = now;
            _jobs.Update(job);
            return Task.FromResult<TryonJob?>(job);
        }
    }

    public Task<bool> TryReplaceAsync(TryonJob job, string expectedStatus, string? expectedOwner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _jobs.FindById(job.Id);
            if (stored is null || stored.Status != expectedStatus || stored.LeaseOwner != expectedOwner
                || (stored.CancelRequested && !job.CancelRequested) || (stored.DeleteRequested && !job.DeleteRequested))
            {
                return Task.FromResult(false);
            }

            return Task.FromResult(_jobs.Update(job));
        }
    }

    public Task<bool> RequestCancelAsync(Guid userId, Guid id, bool delete, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _jobs.FindById(id);
            if (stored is null || stored.UserId != userId)
            {
                return Task.FromResult(false);
            }

            stored.CancelRequested = true;
            stored.DeleteRequested |= delete;
            return Task.FromResult(_jobs.Update(stored));
        }
    }

    public Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.DeleteMany(job => job.Id == id && job.UserId == userId) == 1);

    public Task<long> CountQueuedAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_jobs.LongCount(job => job.Status == TryonStatus.Queued));

    public Task<IReadOnlyList<TryonJob>> ListRefundPendingAsync(int skip, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TryonJob>>(_jobs.Query().Where(job => job.RefundPending).OrderBy(job => job.CreatedAt).Skip(skip).Limit(limit).ToList());

    public Task<IReadOnlyList<TryonJob>> ListPendingPaymentAsync(DateTime createdBefore, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TryonJob>>(_jobs.Query()
            .Where(job => job.Status == TryonStatus.PendingPayment && job.CreatedAt < createdBefore)
            .OrderBy(job => job.CreatedAt).Limit(limit).ToList());

    public Task MarkRefundedAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_jobs.FindById(id) is { } job)
            {
                job.RefundPending = false;
                _jobs.Update(job);
            }
        }

        return Task.CompletedTask;
    }

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _jobs.DeleteMany(job => job.UserId == userId);
        return Task.CompletedTask;
    }
}
