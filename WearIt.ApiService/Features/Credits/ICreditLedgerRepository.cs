namespace WearIt.ApiService.Features.Credits;

/// <summary>The append-only credit ledger.</summary>
public interface ICreditLedgerRepository
{
    /// <summary>The user's newest entry, or null when the user has none.</summary>
    Task<CreditEntry?> GetLatestAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Appends an entry, unless its sequence number or idempotency key is already taken.</summary>
    Task<AppendOutcome> TryAppendAsync(CreditEntry entry, CancellationToken cancellationToken);

    /// <summary>The entry with this (unprefixed) idempotency key, if any.</summary>
    Task<CreditEntry?> FindByKeyAsync(Guid userId, string key, CancellationToken cancellationToken);

    /// <summary>The user's newest entries, newest first.</summary>
    Task<IReadOnlyList<CreditEntry>> ListRecentAsync(Guid userId, int limit, CancellationToken cancellationToken);

    Task DeleteAllAsync(Guid userId, CancellationToken cancellationToken);
}
