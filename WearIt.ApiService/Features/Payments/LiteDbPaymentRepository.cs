using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Payments;

/// <summary>Purchases and payment events in LiteDB collections <c>purchases</c> and <c>payment_events</c> (embedded mode).</summary>
public sealed class LiteDbPaymentRepository(ILiteDatabase database) : IPaymentRepository, IRequiresIndexes
{
    private readonly ILiteCollection<Purchase> _purchases = database.GetCollection<Purchase>("purchases");
    private readonly ILiteCollection<PaymentEvent> _events = database.GetCollection<PaymentEvent>("payment_events");

    // The refunded amount is read and raised in one step; one process owns the file (see LiteDatabaseRegistration).
    private readonly Lock _raising = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _purchases.EnsureIndex(purchase => purchase.UserId);
        _purchases.EnsureIndex(purchase => purchase.PaymentIntentId);
        _events.EnsureIndex(paymentEvent => paymentEvent.UserId);
        return Task.CompletedTask;
    }

    public Task<bool> TryInsertEventAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken) => TryInsert(_events, paymentEvent);

    public Task<PaymentEvent?> FindEventAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult<PaymentEvent?>(_events.FindById(id));

    public Task<bool> TryInsertPurchaseAsync(Purchase purchase, CancellationToken cancellationToken) => TryInsert(_purchases, purchase);

    public Task<Purchase?> FindPurchaseByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        Task.FromResult<Purchase?>(_purchases.FindOne(purchase => purchase.PaymentIntentId == paymentIntentId));

    public Task RaiseRefundedAmountAsync(string purchaseId, long refundedAmount, CancellationToken cancellationToken)
    {
        lock (_raising)
        {
            if (_purchases.FindById(purchaseId) is { } purchase && purchase.RefundedAmount < refundedAmount)
            {
                purchase.RefundedAmount = refundedAmount;
                _purchases.Update(purchase);
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Purchase>> ListPurchasesAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Purchase>>(_purchases.Query().Where(purchase => purchase.UserId == userId).OrderByDescending(purchase => purchase.PaidAt).ToList());

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _purchases.DeleteMany(purchase => purchase.UserId == userId);
        _events.DeleteMany(paymentEvent => paymentEvent.UserId == userId);
        return Task.CompletedTask;
    }

    private static Task<bool> TryInsert<T>(ILiteCollection<T> collection, T document)
    {
        try
        {
            collection.Insert(document);
            return Task.FromResult(true);
        }
        catch (LiteException ex) when (DuplicateKey.IsLite(ex))
        {
            return Task.FromResult(false);
        }
    }
}
