namespace WearIt.ApiService.Features.Credits;

/// <summary>The balance and the newest ledger entries.</summary>
public sealed record CreditsResponse(int Balance, IReadOnlyList<CreditEntryResponse> Entries);

/// <summary>One ledger entry as clients see it.</summary>
/// <remarks><c>Reference</c> names the payment of a purchase or its refund; <c>Uncollected</c>, the credits a refund could not take back.</remarks>
public sealed record CreditEntryResponse(
    long Sequence, int Amount, int BalanceAfter, string Reason, string? JobId, DateTime CreatedAt, string? Reference = null, int Uncollected = 0)
{
    public static CreditEntryResponse From(CreditEntry entry) =>
        new(entry.Sequence, entry.Amount, entry.BalanceAfter, entry.Reason, entry.JobId, entry.CreatedAt, entry.Reference, entry.Uncollected);
}

/// <summary>The body of the internal spend and refund calls.</summary>
public sealed record JobCreditRequest(string? JobId);

/// <summary>The result of an internal spend or refund.</summary>
public sealed record JobCreditResponse(string JobId, int Amount, int Balance);

/// <summary>Whether a try-on job was charged, and whether the charge was given back.</summary>
public sealed record JobSpendResponse(string JobId, bool Spent, bool Refunded);
