namespace WearIt.ApiService.Features.Credits;

/// <summary>The balance and the newest ledger entries.</summary>
public sealed record CreditsResponse(int Balance, IReadOnlyList<CreditEntryResponse> Entries);

/// <summary>One ledger entry as clients see it.</summary>
public sealed record CreditEntryResponse(long Sequence, int Amount, int BalanceAfter, string Reason, string? JobId, DateTime CreatedAt)
{
    public static CreditEntryResponse From(CreditEntry entry) =>
        new(entry.Sequence, entry.Amount, entry.BalanceAfter, entry.Reason, entry.JobId, entry.CreatedAt);
}

/// <summary>The body of the internal spend and refund calls.</summary>
public sealed record JobCreditRequest(string? JobId);

/// <summary>The result of an internal spend or refund.</summary>
public sealed record JobCreditResponse(string JobId, int Amount, int Balance);

/// <summary>Whether a try-on job was charged, and whether the charge was given back.</summary>
public sealed record JobSpendResponse(string JobId, bool Spent, bool Refunded);
