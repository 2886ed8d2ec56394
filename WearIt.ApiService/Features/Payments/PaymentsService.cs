using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using WearIt.ApiService.Features.Credits;
using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Payments;

/// <summary>
/// Selling credit packs through Stripe Checkout. A payment is credited from Stripe's signed webhook alone (never from
/// the buyer's return to the site), once per Checkout Session whatever the number or order of deliveries: the credit
/// ledger's idempotency key is the session id. A refund takes the credits back in proportion to the amount refunded.
/// </summary>
public sealed partial class PaymentsService(
    IOptions<PaymentsOptions> options, StripeCheckout checkout, IPaymentRepository payments, CreditsService credits, IUserRepository users,
    TimeProvider time, ILogger<PaymentsService> logger)
{
    private PaymentsOptions Options => options.Value;

    public IReadOnlyList<PackResponse> Packs()
    {
        RequireEnabled();
        return [.. Options.Packs.Select(PackResponse.From)];
    }

    /// <summary>
    /// Starts a Checkout for a pack. The idempotency key is the client's (a double click gets the same session) or
    /// fresh for this request, and names the user and the pack, so no two users or packs can share one.
    /// </summary>
    public async Task<CheckoutResponse> StartCheckoutAsync(Guid userId, CheckoutRequest? request, string? clientKey, CancellationToken cancellationToken)
    {
        // A request that could never be served is a 400 even while payments are off.
        var pack = Options.Packs.FirstOrDefault(candidate => candidate.Id == request?.Pack)
            ?? throw DomainException.Validation(new Dictionary<string, string[]>
            {
                ["pack"] = [$"Choose one of the packs on sale: {string.Join(", ", Options.Packs.Select(candidate => candidate.Id))}."],
            });
        if (clientKey is { } key && (key.Length is 0 or > 100 || key.Any(char.IsControl)))
        {
            throw DomainException.Validation(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["An idempotency key is 1 to 100 printable characters."] });
        }

        RequireEnabled();
        var returnBase = Options.ReturnBaseUrl is { Length: > 0 } configured && Uri.TryCreate(configured, UriKind.Absolute, out var parsed)
            ? parsed
            : throw new DomainException(ErrorKind.DependencyUnavailable, "payments_unavailable", "Payments are not set up on this server.");
        // The web app's account screen reads the query; Stripe fills in the session id.
        var success = new Uri(returnBase, "/?checkout=success&session_id={CHECKOUT_SESSION_ID}#/account");
        var cancel = new Uri(returnBase, "/?checkout=canceled#/account");
        var session = await checkout.CreateSessionAsync(
            pack, userId, success, cancel, $"checkout:{userId:N}:{pack.Id}:{clientKey ?? Guid.NewGuid().ToString("N")}", cancellationToken);
        LogCheckoutStarted(logger, userId, pack.Id, session.Id);
        return new CheckoutResponse(session.Id, new Uri(session.Url));
    }

    public async Task<IReadOnlyList<PurchaseResponse>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        RequireEnabled();
        return [.. (await payments.ListPurchasesAsync(userId, cancellationToken)).Select(PurchaseResponse.From)];
    }

    /// <summary>Checks a delivery's signature, stores the event, and applies it once.</summary>
    public async Task<WebhookResponse> HandleWebhookAsync(string payload, string? signature, CancellationToken cancellationToken)
    {
        RequireEnabled();
        var stripeEvent = Verify(payload, signature);
        return stripeEvent.Type switch
        {
            EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded when stripeEvent.Data.Object is Session session =>
                await CreditAsync(stripeEvent, payload, session, cancellationToken),
            EventTypes.ChargeRefunded when stripeEvent.Data.Object is Charge charge =>
                await TakeBackAsync(stripeEvent, payload, charge, cancellationToken),
            _ => await StoreAsync(stripeEvent, payload, null, "ignored", cancellationToken),
        };
    }

    private Event Verify(string payload, string? signature)
    {
        var stripe = Options.Stripe;
        try
        {
            return EventUtility.ConstructEvent(
                payload, signature ?? "", stripe.WebhookSecret, (long)stripe.WebhookTolerance.TotalSeconds, time.GetUtcNow().ToUnixTimeSeconds(),
                throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            // A missing, malformed, wrong or stale signature: not Stripe's, or not now.
            throw new DomainException(ErrorKind.Validation, "invalid_signature", $"The Stripe-Signature header does not match this body: {ex.Message}");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw new DomainException(ErrorKind.Validation, "malformed_event", "The body is not a Stripe event.");
        }
    }

    private async Task<WebhookResponse> CreditAsync(Event stripeEvent, string payload, Session session, CancellationToken cancellationToken)
    {
        // completed fires for delayed methods too, before the money is there: those are credited on async_payment_succeeded.
        if (session.PaymentStatus != "paid" || session.Mode != "payment")
        {
            return await StoreAsync(stripeEvent, payload, null, "ignored", cancellationToken);
        }

        var metadata = session.Metadata ?? [];
        if (!Guid.TryParse(session.ClientReferenceId, out var userId)
            || !metadata.TryGetValue(StripeCheckout.PackKey, out var packId)
            || !int.TryParse(metadata.GetValueOrDefault(StripeCheckout.CreditsKey), NumberStyles.None, CultureInfo.InvariantCulture, out var packCredits)
            || packCredits <= 0)
        {
            // Paid for something WearIt did not sell (a session made by hand in the dashboard): an operator must look.
            LogForeignSession(logger, session.Id);
            return await StoreAsync(stripeEvent, payload, null, "ignored", cancellationToken);
        }

        if (await users.FindByIdAsync(userId, cancellationToken) is null)
        {
            // The account was deleted between paying and the webhook: nothing to credit; the payment needs a refund.
            LogPaidForDeletedAccount(logger, session.Id, userId);
            return await StoreAsync(stripeEvent, payload, null, "ignored", cancellationToken);
        }

        var duplicate = !await payments.TryInsertEventAsync(Stored(stripeEvent, payload, userId), cancellationToken);
        await payments.TryInsertPurchaseAsync(new Purchase
        {
            Id = session.Id,
            UserId = userId,
            PackId = packId,
            Credits = packCredits,
            Amount = session.AmountTotal ?? 0,
            Currency = session.Currency ?? "",
            PaymentIntentId = session.PaymentIntentId,
            PaidAt = time.GetUtcNow().UtcDateTime,
        }, cancellationToken);
        // Applied on every delivery, not only the first: a delivery that stored the event and then failed is redelivered.
        await credits.CreditPurchaseAsync(userId, packCredits, session.Id, cancellationToken);
        LogCredited(logger, userId, packCredits, session.Id, stripeEvent.Id);
        return new WebhookResponse(duplicate ? "duplicate" : "credited");
    }

    private async Task<WebhookResponse> TakeBackAsync(Event stripeEvent, string payload, Charge charge, CancellationToken cancellationToken)
    {
        if (charge.PaymentIntentId is not { Length: > 0 } paymentIntent
            || await payments.FindPurchaseByPaymentIntentAsync(paymentIntent, cancellationToken) is not { } purchase)
        {
            if (!Guid.TryParse(charge.Metadata?.GetValueOrDefault(StripeCheckout.UserKey), out var buyer)
                || await users.FindByIdAsync(buyer, cancellationToken) is null)
            {
                // Not a pack's charge, or its buyer's account (and purchases) are deleted: nothing to take back.
                return await StoreAsync(stripeEvent, payload, null, "ignored", cancellationToken);
            }

            // A pack's refund before its payment was recorded (deliveries out of order): Stripe delivers it again later.
            throw new DomainException(ErrorKind.Conflict, "purchase_not_recorded", "This charge's payment has not been recorded yet; deliver the event again later.");
        }

        var duplicate = !await payments.TryInsertEventAsync(Stored(stripeEvent, payload, purchase.UserId), cancellationToken);
        var refunded = Math.Min(charge.AmountRefunded, purchase.Amount);
        // In proportion to the amount refunded, to the nearest credit; a full refund takes every credit back.
        var target = purchase.Amount <= 0 ? purchase.Credits : (int)((purchase.Credits * refunded * 2 + purchase.Amount) / (purchase.Amount * 2));
        var entry = await credits.TakeBackPurchaseAsync(purchase.UserId, purchase.Id, target, cancellationToken);
        await payments.RaiseRefundedAmountAsync(purchase.Id, refunded, cancellationToken);
        if (entry is { Uncollected: > 0 })
        {
            LogUncollected(logger, purchase.UserId, entry.Uncollected, purchase.Id);
        }

        return new WebhookResponse(duplicate || entry is null ? "duplicate" : "refunded");
    }

    private async Task<WebhookResponse> StoreAsync(Event stripeEvent, string payload, Guid? userId, string outcome, CancellationToken cancellationToken) =>
        await payments.TryInsertEventAsync(Stored(stripeEvent, payload, userId), cancellationToken) ? new WebhookResponse(outcome) : new WebhookResponse("duplicate");

    private PaymentEvent Stored(Event stripeEvent, string payload, Guid? userId) => new()
    {
        Id = stripeEvent.Id,
        Type = stripeEvent.Type,
        UserId = userId,
        Payload = payload,
        ReceivedAt = time.GetUtcNow().UtcDateTime,
    };

    private void RequireEnabled()
    {
        if (!Options.Enabled)
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, "payments_unavailable", "Payments are not set up on this server.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} started a Checkout for pack {Pack}: session {SessionId}")]
    private static partial void LogCheckoutStarted(ILogger logger, Guid userId, string pack, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Credited {Credits} credits to user {UserId} for session {SessionId} (event {EventId})")]
    private static partial void LogCredited(ILogger logger, Guid userId, int credits, string sessionId, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} was paid but is not a WearIt pack's; nothing was credited")]
    private static partial void LogForeignSession(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId} was paid for account {UserId}, which no longer exists; refund it")]
    private static partial void LogPaidForDeletedAccount(ILogger logger, string sessionId, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A refund of session {SessionId} could not take back {Uncollected} credits of user {UserId}: they were spent")]
    private static partial void LogUncollected(ILogger logger, Guid userId, int uncollected, string sessionId);
}
