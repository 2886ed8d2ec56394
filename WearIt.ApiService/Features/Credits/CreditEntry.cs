namespace WearIt.ApiService.Features.Credits;

/// <summary>
/// One change to a user's credits. A user's entries are numbered 1, 2, 3…; the newest entry's balance is the
/// user's balance. The id is <c>{userId}:{sequence}</c>, so two writers racing for the same number cannot both
/// win, and <see cref="IdempotencyKey"/> is unique, so the same change cannot be applied twice.
/// </summary>
public sealed class CreditEntry
{
    /// <summary><c>{userId:N}:{sequence:D10}</c>.</summary>
    public string Id { get; set; } = "";

    public Guid UserId { get; set; }

    public long Sequence { get; set; }

    /// <summary>Positive for grants and refunds, negative for spends.</summary>
    public int Amount { get; set; }

    public int BalanceAfter { get; set; }

    /// <summary>Why the balance changed, such as <c>signup_bonus</c> or <c>tryon_spend</c>.</summary>
    public string Reason { get; set; } = "";

    /// <summary><c>{userId:N}:{key}</c>; unique.</summary>
    public string IdempotencyKey { get; set; } = "";

    /// <summary>The job this change is for, when it is a spend or refund.</summary>
    public string? JobId { get; set; }

    /// <summary>The payment this change is for, when it is a purchase or takes one back (a Stripe Checkout Session id).</summary>
    public string? Reference { get; set; }

    /// <summary>Credits a take-back could not take, because the balance was lower; 0 otherwise.</summary>
    public int Uncollected { get; set; }

    public DateTime CreatedAt { get; set; }

    public static string IdFor(Guid userId, long sequence) => $"{userId:N}:{sequence:D10}";

    public static string KeyFor(Guid userId, string key) => $"{userId:N}:{key}";
}

/// <summary>What happened to an append.</summary>
public enum AppendOutcome
{
    Appended,

    /// <summary>Another change took this sequence number first; read the balance again and retry.</summary>
    SequenceTaken,

    /// <summary>A change with this idempotency key is already in the ledger.</summary>
    KeyExists,
}
