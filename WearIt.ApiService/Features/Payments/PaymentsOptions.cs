namespace WearIt.ApiService.Features.Payments;

/// <summary>Section <c>WearIt:Payments</c>: the credit packs on sale and the Stripe account that sells them.</summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "WearIt:Payments";

    /// <summary>The packs on sale, in the order the shop lists them.</summary>
    public List<CreditPack> Packs { get; set; } = [];

    public StripeOptions Stripe { get; set; } = new();

    /// <summary>
    /// The web app's address Stripe sends the buyer back to (its account screen); the AppHost sets it to ApiService's
    /// own URL. Configured, never taken from a request's Host header.
    /// </summary>
    public string? ReturnBaseUrl { get; set; }

    /// <summary>Whether payments can be taken: a secret key and a webhook secret are set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Stripe.SecretKey) && !string.IsNullOrWhiteSpace(Stripe.WebhookSecret);
}

/// <summary>A pack of credits, sold at a Stripe Price.</summary>
public sealed class CreditPack
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public int Credits { get; set; }

    /// <summary>The Stripe Price (<c>price_…</c>) Checkout charges; its amount is Stripe's to keep.</summary>
    public string PriceId { get; set; } = "";

    /// <summary>The price for display, in the currency's minor unit (cents), as the Stripe Price says.</summary>
    public long Amount { get; set; }

    /// <summary>ISO 4217, lower case as Stripe writes it (<c>usd</c>).</summary>
    public string Currency { get; set; } = "usd";
}

/// <summary>Section <c>WearIt:Payments:Stripe</c>.</summary>
public sealed class StripeOptions
{
    /// <summary>The secret API key (<c>sk_live_…</c> or <c>sk_test_…</c>); AppHost parameter <c>stripe-secret-key</c>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The webhook endpoint's signing secret (<c>whsec_…</c>); AppHost parameter <c>stripe-webhook-secret</c>.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Stripe's API; tests point it at a simulator.</summary>
    public string ApiBase { get; set; } = "https://api.stripe.com";

    /// <summary>How old a webhook's signed timestamp may be.</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
