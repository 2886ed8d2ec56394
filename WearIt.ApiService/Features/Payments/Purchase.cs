namespace WearIt.ApiService.Features.Payments;

/// <summary>
/// A paid Stripe Checkout Session: what the user bought and what happened to the payment since. Its id is the
/// session's id, so two deliveries of the same payment find one purchase.
/// </summary>
public sealed class Purchase
{
    /// <summary>The Checkout Session id (<c>cs_…</c>).</summary>
    public string Id { get; set; } = "";

    public Guid UserId { get; set; }

    public string PackId { get; set; } = "";

    public int Credits { get; set; }

    /// <summary>What the user paid, in the currency's minor unit.</summary>
    public long Amount { get; set; }

    public string Currency { get; set; } = "";

    /// <summary>The PaymentIntent the session charged (<c>pi_…</c>); a refund names it, not the session.</summary>
    public string? PaymentIntentId { get; set; }

    /// <summary>How much of <see cref="Amount"/> has been refunded, as the newest refund reported says.</summary>
    public long RefundedAmount { get; set; }

    public DateTime PaidAt { get; set; }

    public static string StatusOf(Purchase purchase) =>
        purchase.RefundedAmount <= 0 ? "paid" : purchase.RefundedAmount >= purchase.Amount ? "refunded" : "partially_refunded";
}

/// <summary>A Stripe event whose signature checked out, kept as it came (for replay and audit).</summary>
public sealed class PaymentEvent
{
    /// <summary>The event's id (<c>evt_…</c>): a redelivery is the same event.</summary>
    public string Id { get; set; } = "";

    public string Type { get; set; } = "";

    /// <summary>The account it concerns, when the event names one we know; null for events that concern none.</summary>
    public Guid? UserId { get; set; }

    /// <summary>The body exactly as Stripe sent it.</summary>
    public string Payload { get; set; } = "";

    public DateTime ReceivedAt { get; set; }
}
