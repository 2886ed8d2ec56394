using WearIt.ApiService;
using WearIt.Tests.Support;
using WearIt.Tests.Support.Providers;

namespace WearIt.Tests.Payments;

/// <summary>An in-memory ApiService selling appsettings.json's packs through a <see cref="StripeSimulator"/>.</summary>
public sealed class PaymentsFixture() : ApiServiceFixture(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit"))
{
    public const string ReturnBase = "https://wearit.example";

    public StripeSimulator Stripe { get; } = new();

    public override async ValueTask InitializeAsync()
    {
        await Stripe.StartAsync();
        foreach (var (credits, amount) in new[] { (5, 299L), (50, 1999L), (100, 3499L), (300, 8999L), (800, 19999L) })
        {
            Stripe.Prices[$"price_replace_with_{credits}_credits"] = amount;
        }

        Factory.Settings["WearIt:Payments:Stripe:SecretKey"] = Stripe.SecretKey;
        Factory.Settings["WearIt:Payments:Stripe:WebhookSecret"] = Stripe.WebhookSecret;
        Factory.Settings["WearIt:Payments:Stripe:ApiBase"] = Stripe.BaseUrl.ToString().TrimEnd('/');
        Factory.Settings["WearIt:Payments:ReturnBaseUrl"] = ReturnBase;
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
