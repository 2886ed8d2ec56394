using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.OpenApi;

namespace WearIt.ApiService.Features.Payments;

/// <summary>The shop's routes and Stripe's webhook.</summary>
public static class PaymentsEndpoints
{
    /// <summary>Stripe's events are a few kilobytes; a body past this is not one.</summary>
    private const int MaxWebhookBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/payments").WithTags("Payments");
        group.MapGet("/packs", Packs).AllowAnonymous().ProducesProblems(503)
            .WithName("ListCreditPacks").WithSummary("The credit packs on sale (503 payments_unavailable when payments are not set up).");
        group.MapPost("/checkout", CheckoutAsync).RequireAuthorization().ProducesUserProblems().ProducesProblems(400, 503)
            .WithName("StartCheckout").WithSummary("Starts a Stripe Checkout for a pack; send the user to checkoutUrl. An Idempotency-Key header makes a retry return the same session.");
        group.MapGet("", ListAsync).RequireAuthorization().ProducesUserProblems().ProducesProblems(503)
            .WithName("ListPurchases").WithSummary("The user's purchases, newest first.");
        group.MapPost("/stripe/webhook", WebhookAsync).AllowAnonymous().ProducesProblems(400, 409, 413, 503)
            .WithName("StripeWebhook").WithSummary("Stripe's events, checked against Stripe-Signature; a paid Checkout credits its pack once, a refund takes it back.");
        return app;
    }

    private static Ok<IReadOnlyList<PackResponse>> Packs(PaymentsService payments) => TypedResults.Ok(payments.Packs());

    private static async Task<Created<CheckoutResponse>> CheckoutAsync(
        ClaimsPrincipal principal, CheckoutRequest? request, HttpRequest http, PaymentsService payments, CancellationToken cancellationToken)
    {
        var key = http.Headers.TryGetValue("Idempotency-Key", out var header) ? header.ToString() : null;
        var started = await payments.StartCheckoutAsync(principal.UserId(), request, key, cancellationToken);
        return TypedResults.Created(started.CheckoutUrl, started);
    }

    private static async Task<Ok<IReadOnlyList<PurchaseResponse>>> ListAsync(ClaimsPrincipal principal, PaymentsService payments, CancellationToken cancellationToken) =>
        TypedResults.Ok(await payments.ListAsync(principal.UserId(), cancellationToken));

    private static async Task<Ok<WebhookResponse>> WebhookAsync(HttpRequest http, PaymentsService payments, CancellationToken cancellationToken)
    {
        if (http.ContentLength > MaxWebhookBytes)
        {
            throw new DomainException(ErrorKind.PayloadTooLarge, "payload_too_large", $"A webhook body is at most {MaxWebhookBytes / 1024} KiB.");
        }

        // The signature covers the exact bytes Stripe sent: the body is read as text, never bound as JSON first.
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await http.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxWebhookBytes)
            {
                throw new DomainException(ErrorKind.PayloadTooLarge, "payload_too_large", $"A webhook body is at most {MaxWebhookBytes / 1024} KiB.");
            }

            body.Write(buffer, 0, read);
        }

        string payload;
        try
        {
            payload = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.GetBuffer(), 0, (int)body.Length);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new DomainException(ErrorKind.Validation, "malformed_event", "The body is not UTF-8 text.");
        }

        var signature = http.Headers.TryGetValue("Stripe-Signature", out var header) ? header.ToString() : null;
        return TypedResults.Ok(await payments.HandleWebhookAsync(payload, signature, cancellationToken));
    }
}
