namespace WearIt.ApiService.Features.Payments;

/// <summary>Purchases and the Stripe events that reported them.</summary>
public interface IPaymentRepository
{
    /// <summary>Stores an event; false when it is already stored (a redelivery).</summary>
    Task<bool> TryInsertEventAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken);

    /// <summary>A stored event by its id (for replay and audit).</summary>
    Task<PaymentEvent?> FindEventAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records a purchase; false when its session is already recorded.</summary>
    Task<bool> TryInsertPurchaseAsync(Purchase purchase, CancellationToken cancellationToken);

    Task<Purchase?> FindPurchaseByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken);

    /// <summary>Raises the purchase's refunded amount to <paramref name="refundedAmount"/>; a lower (older) report changes nothing.</summary>
    Task RaiseRefundedAmountAsync(string purchaseId, long refundedAmount, CancellationToken cancellationToken);

    /// <summary>The user's purchases, newest first.</summary>
    Task<IReadOnlyList<Purchase>> ListPurchasesAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Removes the user's purchases and the events about them (account deletion).</summary>
    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}
