using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ApiService.Features.Payments;
using WearIt.Tests.Support;
using WearIt.Tests.Support.Providers;

namespace WearIt.Tests.Payments;

/// <summary>
/// Credit packs through Stripe Checkout against a Stripe simulator: what Stripe.net sends, and the webhook crediting
/// each paid session once, whatever the deliveries (twice, out of order, at once, tampered, stale, wrongly signed).
/// </summary>
public sealed class PaymentsTests(PaymentsFixture api) : IClassFixture<PaymentsFixture>
{
    private const int StarterCredits = 20;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private StripeSimulator Stripe => api.Stripe;

    [Fact]
    public async Task ThePacksOnSaleAreListedToAnyone()
    {
        using var response = await api.Http.GetAsync("/api/v1/payments/packs", Cancellation);

        var packs = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK);
        Assert.Equal([5, 50, 100, 300, 800], packs.EnumerateArray().Select(pack => pack.GetProperty("credits").GetInt32()));
        Assert.All(packs.EnumerateArray(), pack => Assert.False(pack.TryGetProperty("priceId", out _), "the Stripe price id is the server's"));
        Assert.Equal("usd", packs[1].GetProperty("currency").GetString());
    }

    [Fact]
    public async Task ACheckoutSendsStripeThePackTheUserAndTheWayBack()
    {
        var account = await api.SignupAsync();

        using var response = await CheckoutAsync(account, "pack-50", idempotencyKey: "click-1");

        var started = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created);
        var sessionId = started.GetProperty("sessionId").GetString()!;
        Assert.Equal($"https://checkout.stripe.com/c/pay/{sessionId}", started.GetProperty("checkoutUrl").GetString());
        var sent = Stripe.Requests.Last(request => request.Form.GetValueOrDefault("client_reference_id") == account.Id.ToString());
        Assert.Equal($"Bearer {Stripe.SecretKey}", sent.Authorization);
        Assert.Contains(account.Id.ToString("N"), sent.IdempotencyKey, StringComparison.Ordinal);
        Assert.NotEmpty(sent.StripeVersion);
        Assert.Equal("payment", sent.Form["mode"]);
        Assert.Equal("price_replace_with_50_credits", sent.Form["line_items[0][price]"]);
        Assert.Equal("1", sent.Form["line_items[0][quantity]"]);
        Assert.Equal(account.Id.ToString(), sent.Form["metadata[user_id]"]);
        Assert.Equal("pack-50", sent.Form["metadata[pack]"]);
        Assert.Equal("50", sent.Form["metadata[credits]"]);
        Assert.Equal(account.Id.ToString(), sent.Form["payment_intent_data[metadata][user_id]"]);
        Assert.Equal($"{PaymentsFixture.ReturnBase}/?checkout=success&session_id={{CHECKOUT_SESSION_ID}}#/account", sent.Form["success_url"]);
        Assert.Equal($"{PaymentsFixture.ReturnBase}/?checkout=canceled#/account", sent.Form["cancel_url"]);
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyGetsTheSameSessionAndEachNewClickANewOne()
    {
        var account = await api.SignupAsync();

        var first = await SessionIdAsync(account, "pack-5", "double-click");
        var again = await SessionIdAsync(account, "pack-5", "double-click");
        var otherPack = await SessionIdAsync(account, "pack-100", "double-click");
        var unkeyed = await SessionIdAsync(account, "pack-5", null);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherPack);
        Assert.NotEqual(first, unkeyed);
    }

    [Theory]
    [InlineData("{\"pack\":\"pack-1000\"}")]
    [InlineData("{}")]
    [InlineData("{\"pack\":5}")]
    public async Task AnUnknownPackIsA400AndStripeIsNotCalled(string body)
    {
        var account = await api.SignupAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/checkout") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);

        using var response = await api.Http.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(Stripe.Requests, sent => sent.Form.GetValueOrDefault("client_reference_id") == account.Id.ToString());
    }

    [Fact]
    public async Task StripeRefusingTheCheckoutIsA503ToTheUserAndCreditsNothing()
    {
        var account = await api.SignupAsync();
        Stripe.Prices.Remove("price_replace_with_300_credits", out var amount);
        try
        {
            using var response = await CheckoutAsync(account, "pack-300");

            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "checkout_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains(Stripe.Refusals, refusal => refusal.Contains("No such price: 'price_replace_with_300_credits'", StringComparison.Ordinal));
            Assert.Equal(StarterCredits, await api.BalanceAsync(account));
        }
        finally
        {
            Stripe.Prices["price_replace_with_300_credits"] = amount;
        }
    }

    [Fact]
    public async Task AWebhookBodyPastItsLimitIsA413()
    {
        var huge = StripeSimulator.Event("customer.created", new { id = "cus_big", @object = "customer", description = new string('x', 300 * 1024) });

        using var response = await DeliverAsync(huge, Stripe.Sign(huge));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Null(await Payments.FindEventAsync(JsonDocument.Parse(huge).RootElement.GetProperty("id").GetString()!, Cancellation));
    }

    [Fact]
    public async Task CheckoutAndPurchasesNeedASignedInUser()
    {
        using var checkout = await api.SendAsync(HttpMethod.Post, "/api/v1/payments/checkout", token: null, new { pack = "pack-5" });
        using var purchases = await api.SendAsync(HttpMethod.Get, "/api/v1/payments", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, checkout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, purchases.StatusCode);
    }

    [Fact]
    public async Task APaidSessionDeliveredTwiceCreditsThePackOnceAndIsListed()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-50");
        var completed = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));

        var first = await DeliverAsync(completed, Stripe.Sign(completed));
        var second = await DeliverAsync(completed, Stripe.Sign(completed));

        Assert.Equal("credited", (await ApiServiceFixture.ReadAsync(first, HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal("duplicate", (await ApiServiceFixture.ReadAsync(second, HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal(StarterCredits + 50, await api.BalanceAsync(account));
        using var listed = await api.SendAsync(HttpMethod.Get, "/api/v1/payments", account.AccessToken);
        var purchase = Assert.Single((await ApiServiceFixture.ReadAsync(listed, HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(session.Id, purchase.GetProperty("sessionId").GetString());
        Assert.Equal("paid", purchase.GetProperty("status").GetString());
        Assert.Equal(1999, purchase.GetProperty("amount").GetInt64());
        using var ledger = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", account.AccessToken);
        var entry = (await ApiServiceFixture.ReadAsync(ledger, HttpStatusCode.OK)).GetProperty("entries")[0];
        Assert.Equal("purchase", entry.GetProperty("reason").GetString());
        Assert.Equal(session.Id, entry.GetProperty("reference").GetString());
        var eventId = JsonDocument.Parse(completed).RootElement.GetProperty("id").GetString()!;
        Assert.Equal(completed, (await Payments.FindEventAsync(eventId, Cancellation))?.Payload);
    }

    [Fact]
    public async Task ADelayedPaymentIsCreditedWhenItSucceedsInWhateverOrderTheEventsCome()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-5");
        var unpaid = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "unpaid"));
        var succeeded = StripeSimulator.Event("checkout.session.async_payment_succeeded", session.Object("complete", "paid"));
        var completedPaid = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));

        await ApiServiceFixture.ReadAsync(await DeliverAsync(unpaid, Stripe.Sign(unpaid)), HttpStatusCode.OK);
        var balanceWhileUnpaid = await api.BalanceAsync(account);
        await ApiServiceFixture.ReadAsync(await DeliverAsync(succeeded, Stripe.Sign(succeeded)), HttpStatusCode.OK);
        await ApiServiceFixture.ReadAsync(await DeliverAsync(completedPaid, Stripe.Sign(completedPaid)), HttpStatusCode.OK);

        Assert.Equal(StarterCredits, balanceWhileUnpaid);
        Assert.Equal(StarterCredits + 5, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task ConcurrentDuplicateDeliveriesCreditOnce()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-100");
        var completed = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));
        var succeeded = StripeSimulator.Event("checkout.session.async_payment_succeeded", session.Object("complete", "paid"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => DeliverAsync(i % 3 == 0 ? succeeded : completed, Stripe.Sign(i % 3 == 0 ? succeeded : completed))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(StarterCredits + 100, await api.BalanceAsync(account));
    }

    public static TheoryData<string> BadSignatures => ["tampered", "stale", "future", "wrong-secret", "missing", "empty", "garbage", "no-v1", "t-only"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task ADeliveryWhoseSignatureFailsIsA400AndChangesNothing(string kind)
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-800");
        var completed = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));
        var now = DateTimeOffset.UtcNow;
        var (body, signature) = kind switch
        {
            "tampered" => (completed.Replace("\"pack-800\"", "\"pack-5\"", StringComparison.Ordinal), Stripe.Sign(completed)),
            "stale" => (completed, StripeSimulator.Sign(completed, Stripe.WebhookSecret, now.AddMinutes(-6))),
            "future" => (completed, StripeSimulator.Sign(completed, Stripe.WebhookSecret, now.AddMinutes(6))),
            "wrong-secret" => (completed, StripeSimulator.Sign(completed, "whsec_not_ours", now)),
            "missing" => (completed, null),
            "empty" => (completed, ""),
            "garbage" => (completed, "this is not a signature"),
            "no-v1" => (completed, Stripe.Sign(completed).Split(',')[0]),
            _ => (completed, "t=" + now.ToUnixTimeSeconds()),
        };

        using var response = await DeliverAsync(body, signature);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
        Assert.Null(await Payments.FindEventAsync(JsonDocument.Parse(completed).RootElement.GetProperty("id").GetString()!, Cancellation));
        Assert.Empty(await Payments.ListPurchasesAsync(account.Id, Cancellation));
    }

    [Fact]
    public async Task ASignedBodyThatIsNotAnEventIsA400()
    {
        const string Body = "{\"not\": \"an event\"";

        using var response = await DeliverAsync(Body, Stripe.Sign(Body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_event");
    }

    [Fact]
    public async Task AnUnknownEventIsAcknowledgedAndStoredAndChangesNoBalance()
    {
        var account = await api.SignupAsync();
        var customer = StripeSimulator.Event("customer.created", new { id = "cus_1", @object = "customer", metadata = new { user_id = account.Id.ToString() } });

        using var response = await DeliverAsync(customer, Stripe.Sign(customer));

        Assert.Equal("ignored", (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK)).GetProperty("outcome").GetString());
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
        Assert.NotNull(await Payments.FindEventAsync(JsonDocument.Parse(customer).RootElement.GetProperty("id").GetString()!, Cancellation));
    }

    [Fact]
    public async Task RefundsTakeTheCreditsBackInProportionOnceEachInAnyOrder()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-100");
        await PayAsync(session);
        var half = StripeSimulator.Event("charge.refunded", session.Charge(3499 / 2 + 1));
        var full = StripeSimulator.Event("charge.refunded", session.Charge(3499));

        // The full refund's event overtakes the partial one's, and both come twice.
        var answers = new List<HttpStatusCode>();
        foreach (var delivery in new[] { full, half, full, half })
        {
            using var response = await DeliverAsync(delivery, Stripe.Sign(delivery));
            answers.Add(response.StatusCode);
        }

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
        using var listed = await api.SendAsync(HttpMethod.Get, "/api/v1/payments", account.AccessToken);
        Assert.Equal("refunded", (await ApiServiceFixture.ReadAsync(listed, HttpStatusCode.OK))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task APartialRefundTakesPartAndTheRestLater()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-50");
        await PayAsync(session);

        var quarter = StripeSimulator.Event("charge.refunded", session.Charge(1999 / 4));
        await ApiServiceFixture.ReadAsync(await DeliverAsync(quarter, Stripe.Sign(quarter)), HttpStatusCode.OK);
        var afterQuarter = await api.BalanceAsync(account);
        using var listed = await api.SendAsync(HttpMethod.Get, "/api/v1/payments", account.AccessToken);
        var status = (await ApiServiceFixture.ReadAsync(listed, HttpStatusCode.OK))[0].GetProperty("status").GetString();
        var rest = StripeSimulator.Event("charge.refunded", session.Charge(1999));
        await ApiServiceFixture.ReadAsync(await DeliverAsync(rest, Stripe.Sign(rest)), HttpStatusCode.OK);

        Assert.Equal(StarterCredits + 50 - 12, afterQuarter); // 499 of 1999 cents is 12.48 credits
        Assert.Equal("partially_refunded", status);
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task ARefundOfSpentCreditsStopsAtZeroAndRecordsWhatItCouldNotTake()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-50");
        await PayAsync(session);
        await SpendAsync(account, StarterCredits + 40);

        var refund = StripeSimulator.Event("charge.refunded", session.Charge(1999));
        await ApiServiceFixture.ReadAsync(await DeliverAsync(refund, Stripe.Sign(refund)), HttpStatusCode.OK);
        await ApiServiceFixture.ReadAsync(await DeliverAsync(refund, Stripe.Sign(refund)), HttpStatusCode.OK);

        Assert.Equal(0, await api.BalanceAsync(account));
        using var ledger = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", account.AccessToken);
        var entries = (await ApiServiceFixture.ReadAsync(ledger, HttpStatusCode.OK)).GetProperty("entries");
        var takeBack = Assert.Single(entries.EnumerateArray(), entry => entry.GetProperty("reason").GetString() == "purchase_refund");
        Assert.Equal(-10, takeBack.GetProperty("amount").GetInt32());
        Assert.Equal(40, takeBack.GetProperty("uncollected").GetInt32());
    }

    [Fact]
    public async Task ARefundBeforeItsPaymentIsRecordedIsRefusedUntilThePaymentIsIn()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-5");
        var refund = StripeSimulator.Event("charge.refunded", session.Charge(299));

        using var early = await DeliverAsync(refund, Stripe.Sign(refund));
        await early.AssertProblemAsync(HttpStatusCode.Conflict, "purchase_not_recorded");
        await PayAsync(session);
        using var redelivered = await DeliverAsync(refund, Stripe.Sign(refund));

        Assert.Equal(HttpStatusCode.OK, redelivered.StatusCode);
        Assert.Equal(StarterCredits, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task DeletingTheAccountDeletesItsPurchasesAndTheirEvents()
    {
        var account = await api.SignupAsync();
        var session = await PaidSessionAsync(account, "pack-5");
        var completed = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));
        await ApiServiceFixture.ReadAsync(await DeliverAsync(completed, Stripe.Sign(completed)), HttpStatusCode.OK);

        using var deleted = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", account.AccessToken, new { password = account.Password });

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await Payments.ListPurchasesAsync(account.Id, Cancellation));
        Assert.Null(await Payments.FindEventAsync(JsonDocument.Parse(completed).RootElement.GetProperty("id").GetString()!, Cancellation));
        // A late redelivery for the deleted account credits nobody.
        using var late = await DeliverAsync(completed, Stripe.Sign(completed));
        Assert.Equal("ignored", (await ApiServiceFixture.ReadAsync(late, HttpStatusCode.OK)).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AnotherUsersPurchasesAreNotListed()
    {
        var (buyer, stranger) = (await api.SignupAsync(), await api.SignupAsync());
        await PayAsync(await PaidSessionAsync(buyer, "pack-5"));

        using var listed = await api.SendAsync(HttpMethod.Get, "/api/v1/payments", stranger.AccessToken);

        Assert.Empty((await ApiServiceFixture.ReadAsync(listed, HttpStatusCode.OK)).EnumerateArray());
    }

    private IPaymentRepository Payments => api.Factory.Services.GetRequiredService<IPaymentRepository>();

    private async Task<HttpResponseMessage> CheckoutAsync(TestAccount account, string pack, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/checkout") { Content = JsonContent.Create(new { pack }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.AccessToken);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await api.Http.SendAsync(request, Cancellation);
    }

    private async Task<string> SessionIdAsync(TestAccount account, string pack, string? idempotencyKey)
    {
        using var response = await CheckoutAsync(account, pack, idempotencyKey);
        return (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("sessionId").GetString()!;
    }

    /// <summary>A session the user started through WearIt, as Stripe holds it (not yet reported paid).</summary>
    private async Task<SimulatedSession> PaidSessionAsync(TestAccount account, string pack) =>
        Stripe.Session(await SessionIdAsync(account, pack, null));

    private async Task PayAsync(SimulatedSession session)
    {
        var completed = StripeSimulator.Event("checkout.session.completed", session.Object("complete", "paid"));
        await ApiServiceFixture.ReadAsync(await DeliverAsync(completed, Stripe.Sign(completed)), HttpStatusCode.OK);
    }

    private async Task SpendAsync(TestAccount account, int credits)
    {
        for (var i = 0; i < credits; i++)
        {
            using var spend = await api.SendAsync(HttpMethod.Post, $"/internal/v1/users/{account.Id}/credits/spend", api.ServiceToken(), new { jobId = $"job-{i}" });
            Assert.Equal(HttpStatusCode.OK, spend.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> DeliverAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/stripe/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return await api.Http.SendAsync(request, Cancellation);
    }
}
