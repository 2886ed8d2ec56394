using System.Globalization;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Payments;

/// <summary>Creates Stripe Checkout Sessions with Stripe.net, on an HttpClient from the factory (so its calls are traced).</summary>
public sealed partial class StripeCheckout(IHttpClientFactory httpClients, IOptions<PaymentsOptions> options, ILogger<StripeCheckout> logger)
{
    /// <summary>The named HttpClient Stripe.net sends through; Stripe.net retries on its own (safely, with the idempotency key).</summary>
    public const string HttpClientName = "stripe";

    /// <summary>The metadata keys a session (and its PaymentIntent) carries, read back from the webhooks.</summary>
    public const string UserKey = "user_id", PackKey = "pack", CreditsKey = "credits";

    public async Task<Session> CreateSessionAsync(
        CreditPack pack, Guid userId, Uri successUrl, Uri cancelUrl, string idempotencyKey, CancellationToken cancellationToken)
    {
        var metadata = new Dictionary<string, string>
        {
            [UserKey] = userId.ToString(),
            [PackKey] = pack.Id,
            [CreditsKey] = pack.Credits.ToString(CultureInfo.InvariantCulture),
        };
        var stripe = options.Value.Stripe;
        var client = new StripeClient(
            stripe.SecretKey, httpClient: new SystemNetHttpClient(httpClients.CreateClient(HttpClientName), maxNetworkRetries: 2, enableTelemetry: false),
            apiBase: stripe.ApiBase);
        try
        {
            return await new SessionService(client).CreateAsync(new SessionCreateOptions
            {
                Mode = "payment",
                LineItems = [new SessionLineItemOptions { Price = pack.PriceId, Quantity = 1 }],
                ClientReferenceId = userId.ToString(),
                Metadata = metadata,
                // A refund names the PaymentIntent (the charge), not the session: it carries the same metadata.
                PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
                SuccessUrl = successUrl.ToString(),
                CancelUrl = cancelUrl.ToString(),
            }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken);
        }
        catch (Exception ex) when (ex is StripeException or HttpRequestException)
        {
            // The operator's to fix (a wrong key, a price that does not exist) or Stripe's to recover from; the user may try later.
            var stripeError = ex as StripeException;
            LogCheckoutFailed(logger, ex, (int?)stripeError?.HttpStatusCode ?? 0, stripeError?.StripeError?.Code ?? "", pack.Id);
            throw new DomainException(ErrorKind.DependencyUnavailable, "checkout_unavailable", "Checkout could not be started just now; try again later.")
            {
                RetryAfterSeconds = 30,
            };
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stripe refused a Checkout Session for pack {Pack}: HTTP {Status} {Code}")]
    private static partial void LogCheckoutFailed(ILogger logger, Exception exception, int status, string code, string pack);
}
