using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Credits;

/// <summary>The ledger in MongoDB collection <c>credit_entries</c>.</summary>
public sealed class MongoCreditLedgerRepository(IMongoDatabase database) : ICreditLedgerRepository, IRequiresIndexes
{
    private readonly IMongoCollection<CreditEntry> _entries = database.GetCollection<CreditEntry>("credit_entries");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<CreditEntry>.IndexKeys;
        await _entries.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<CreditEntry>(keys.Ascending(entry => entry.IdempotencyKey), new CreateIndexOptions { Unique = true, Name = "idempotency_key_unique" }),
            new CreateIndexModel<CreditEntry>(keys.Ascending(entry => entry.UserId).Descending(entry => entry.Sequence), new CreateIndexOptions { Name = "user_sequence" }),
        ], cancellationToken);
    }

    public async Task<CreditEntry?> GetLatestAsync(Guid userId, CancellationToken cancellationToken) =>
        await _entries.Find(entry => entry.UserId == userId).SortByDescending(entry => entry.Sequence).FirstOrDefaultAsync(cancellationToken);

    public async Task<AppendOutcome> TryAppendAsync(CreditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _entries.InsertOneAsync(entry, cancellationToken: cancellationToken);
            return AppendOutcome.Appended;
        }
        catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
        {
            var sameKey = await _entries.Find(stored => stored.IdempotencyKey == entry.IdempotencyKey).AnyAsync(cancellationToken);
            return sameKey ? AppendOutcome.KeyExists : AppendOutcome.SequenceTaken;
        }
    }

    public async Task<CreditEntry?> FindByKeyAsync(Guid userId, string key, CancellationToken cancellationToken)
    {
        var prefixed = CreditEntry.KeyFor(userId, key);
        return await _entries.Find(entry => entry.IdempotencyKey == prefixed).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CreditEntry>> ListRecentAsync(Guid userId, int limit, CancellationToken cancellationToken) =>
        await _entries.Find(entry => entry.UserId == userId).SortByDescending(entry => entry.Sequence).Limit(limit).ToListAsync(cancellationToken);

    public Task DeleteAllAsync(Guid userId, CancellationToken cancellationToken) =>
        _entries.DeleteManyAsync(entry => entry.UserId == userId, cancellationToken);
}
