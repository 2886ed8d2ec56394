using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Payments;

/// <summary>Purchases and payment events in MongoDB collections <c>purchases</c> and <c>payment_events</c>.</summary>
public sealed class MongoPaymentRepository(IMongoDatabase database) : IPaymentRepository, IRequiresIndexes
{
    private readonly IMongoCollection<Purchase> _purchases = database.GetCollection<Purchase>("purchases");
    private readonly IMongoCollection<PaymentEvent> _events = database.GetCollection<PaymentEvent>("payment_events");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        await _purchases.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<Purchase>(Builders<Purchase>.IndexKeys.Ascending(purchase => purchase.UserId).Descending(purchase => purchase.PaidAt), new CreateIndexOptions { Name = "user_paid" }),
            new CreateIndexModel<Purchase>(Builders<Purchase>.IndexKeys.Ascending(purchase => purchase.PaymentIntentId), new CreateIndexOptions { Name = "payment_intent" }),
        ], cancellationToken);
        await _events.Indexes.CreateOneAsync(
            new CreateIndexModel<PaymentEvent>(Builders<PaymentEvent>.IndexKeys.Ascending(paymentEvent => paymentEvent.UserId), new CreateIndexOptions { Name = "user" }),
            cancellationToken: cancellationToken);
    }

    public Task<bool> TryInsertEventAsync(PaymentEvent paymentEvent, CancellationToken cancellationToken) => TryInsertAsync(_events, paymentEvent, cancellationToken);

    public async Task<PaymentEvent?> FindEventAsync(string id, CancellationToken cancellationToken) =>
        await _events.Find(paymentEvent => paymentEvent.Id == id).FirstOrDefaultAsync(cancellationToken);

    public Task<bool> TryInsertPurchaseAsync(Purchase purchase, CancellationToken cancellationToken) => TryInsertAsync(_purchases, purchase, cancellationToken);

    public async Task<Purchase?> FindPurchaseByPaymentIntentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        await _purchases.Find(purchase => purchase.PaymentIntentId == paymentIntentId).FirstOrDefaultAsync(cancellationToken);

    public Task RaiseRefundedAmountAsync(string purchaseId, long refundedAmount, CancellationToken cancellationToken) =>
        _purchases.UpdateOneAsync(
            purchase => purchase.Id == purchaseId && purchase.RefundedAmount < refundedAmount,
            Builders<Purchase>.Update.Set(purchase => purchase.RefundedAmount, refundedAmount),
            cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<Purchase>> ListPurchasesAsync(Guid userId, CancellationToken cancellationToken) =>
        await _purchases.Find(purchase => purchase.UserId == userId).SortByDescending(purchase => purchase.PaidAt).ToListAsync(cancellationToken);

    public async Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        await _purchases.DeleteManyAsync(purchase => purchase.UserId == userId, cancellationToken);
        await _events.DeleteManyAsync(paymentEvent => paymentEvent.UserId == userId, cancellationToken);
    }

    private static async Task<bool> TryInsertAsync<T>(IMongoCollection<T> collection, T document, CancellationToken cancellationToken)
    {
        try
        {
            await collection.InsertOneAsync(document, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
        {
            return false;
        }
    }
}
