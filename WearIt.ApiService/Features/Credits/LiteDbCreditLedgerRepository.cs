using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Credits;

/// <summary>The ledger in LiteDB collection <c>credit_entries</c> (embedded mode).</summary>
public sealed class LiteDbCreditLedgerRepository(ILiteDatabase database) : ICreditLedgerRepository, IRequiresIndexes
{
    private readonly ILiteCollection<CreditEntry> _entries = database.GetCollection<CreditEntry>("credit_entries");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _entries.EnsureIndex(entry => entry.IdempotencyKey, unique: true);
        _entries.EnsureIndex(entry => entry.UserId);
        return Task.CompletedTask;
    }

    public Task<CreditEntry?> GetLatestAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<CreditEntry?>(_entries.Query().Where(entry => entry.UserId == userId)
            .OrderByDescending(entry => entry.Sequence).FirstOrDefault());

    public Task<AppendOutcome> TryAppendAsync(CreditEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            _entries.Insert(entry);
            return Task.FromResult(AppendOutcome.Appended);
        }
        catch (LiteException ex) when (DuplicateKey.IsLite(ex))
        {
            var key = entry.IdempotencyKey;
            var sameKey = _entries.Exists(stored => stored.IdempotencyKey == key);
            return Task.FromResult(sameKey ? AppendOutcome.KeyExists : AppendOutcome.SequenceTaken);
        }
    }

    public Task<CreditEntry?> FindByKeyAsync(Guid userId, string key, CancellationToken cancellationToken)
    {
        var prefixed = CreditEntry.KeyFor(userId, key);
        return Task.FromResult<CreditEntry?>(_entries.FindOne(entry => entry.IdempotencyKey == prefixed));
    }

    public Task<IReadOnlyList<CreditEntry>> ListRecentAsync(Guid userId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CreditEntry>>(_entries.Query().Where(entry => entry.UserId == userId)
            .OrderByDescending(entry => entry.Sequence).Limit(limit).ToList());

    public Task DeleteAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        _entries.DeleteMany(entry => entry.UserId == userId);
        return Task.CompletedTask;
    }
}
