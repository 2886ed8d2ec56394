namespace WearIt.ApiService.Features.Payments;

/// <summary>A pack on sale; <c>Amount</c> is in the currency's minor unit (cents).</summary>
public sealed record PackResponse(string Id, string Name, int Credits, long Amount, string Currency)
{
    public static PackResponse From(CreditPack pack) => new(pack.Id, pack.Name, pack.Credits, pack.Amount, pack.Currency);
}

/// <summary>The body of <c>POST /api/v1/payments/checkout</c>.</summary>
public sealed record CheckoutRequest(string? Pack);

/// <summary>A started Checkout: send the user to <c>CheckoutUrl</c>.</summary>
public sealed record CheckoutResponse(string SessionId, Uri CheckoutUrl);

/// <summary>One purchase as its buyer sees it; <c>Status</c> is <c>paid</c>, <c>partially_refunded</c> or <c>refunded</c>.</summary>
public sealed record PurchaseResponse(
    string SessionId, string Pack, int Credits, long Amount, string Currency, string Status, long RefundedAmount, DateTime PaidAt)
{
    public static PurchaseResponse From(Purchase purchase) => new(
        purchase.Id, purchase.PackId, purchase.Credits, purchase.Amount, purchase.Currency, Purchase.StatusOf(purchase), purchase.RefundedAmount, purchase.PaidAt);
}

/// <summary>What a webhook delivery did: <c>credited</c>, <c>refunded</c>, <c>duplicate</c> or <c>ignored</c>.</summary>
public sealed record WebhookResponse(string Outcome);
