using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>Pending deletions in LiteDB collection <c>pending_user_deletions</c> (embedded mode).</summary>
public sealed class LiteDbPendingDeletionRepository(ILiteDatabase database) : IPendingDeletionRepository, IRequiresIndexes
{
    private readonly ILiteCollection<PendingUserDeletion> _pending = database.GetCollection<PendingUserDeletion>("pending_user_deletions");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _pending.EnsureIndex(pending => pending.NextAttemptAt);
        return Task.CompletedTask;
    }

    public Task UpsertAsync(PendingUserDeletion pending, CancellationToken cancellationToken)
    {
        _pending.Upsert(pending);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingUserDeletion>> ListDueAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PendingUserDeletion>>(_pending.Query()
            .Where(pending => pending.NextAttemptAt <= now).OrderBy(pending => pending.NextAttemptAt).Limit(limit).ToList());

    public Task<PendingUserDeletion?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<PendingUserDeletion?>(_pending.FindById(userId));

    public Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        _pending.Delete(userId);
        return Task.CompletedTask;
    }
}
