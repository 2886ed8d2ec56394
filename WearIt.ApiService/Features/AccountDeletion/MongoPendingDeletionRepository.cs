using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>Pending deletions in MongoDB collection <c>pending_user_deletions</c>.</summary>
public sealed class MongoPendingDeletionRepository(IMongoDatabase database) : IPendingDeletionRepository, IRequiresIndexes
{
    private readonly IMongoCollection<PendingUserDeletion> _pending = database.GetCollection<PendingUserDeletion>("pending_user_deletions");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        _pending.Indexes.CreateOneAsync(new CreateIndexModel<PendingUserDeletion>(
            Builders<PendingUserDeletion>.IndexKeys.Ascending(pending => pending.NextAttemptAt), new CreateIndexOptions { Name = "next_attempt" }),
            cancellationToken: cancellationToken);

    public Task UpsertAsync(PendingUserDeletion pending, CancellationToken cancellationToken) =>
        _pending.ReplaceOneAsync(stored => stored.Id == pending.Id, pending, new ReplaceOptions { IsUpsert = true }, cancellationToken);

    public async Task<IReadOnlyList<PendingUserDeletion>> ListDueAsync(DateTime now, int limit, CancellationToken cancellationToken) =>
        await _pending.Find(pending => pending.NextAttemptAt <= now).SortBy(pending => pending.NextAttemptAt).Limit(limit).ToListAsync(cancellationToken);

    public async Task<PendingUserDeletion?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        await _pending.Find(pending => pending.Id == userId).FirstOrDefaultAsync(cancellationToken);

    public Task DeleteAsync(Guid userId, CancellationToken cancellationToken) =>
        _pending.DeleteOneAsync(pending => pending.Id == userId, cancellationToken);
}
