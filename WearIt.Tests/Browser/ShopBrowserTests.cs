using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using WearIt.ApiService;
using WearIt.Tests.Support;
using WearIt.Tests.Support.Providers;

namespace WearIt.Tests.Browser;

/// <summary>
/// The account screen's shop in headless Chromium, against ApiService on a real port and the Stripe simulator:
/// a cancelled checkout, then a pack bought, Stripe's page stood in for by the test, its webhook delivered, and the
/// buyer back on the success URL Stripe was given, seeing the credits arrive.
/// </summary>
public sealed class ShopBrowserTests
{
    [Fact]
    public async Task APersonBuysAPackAndSeesTheCreditsArriveAfterStripeConfirms()
    {
        var chromium = Chromium.PathOrSkip();
        var token = TestContext.Current.CancellationToken;
        await using var stripe = new StripeSimulator();
        await stripe.StartAsync();
        stripe.Prices["price_replace_with_50_credits"] = 1999;
        var site = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var factory = new EmbeddedServiceFactory<ApiServiceAssembly>("wearit")
        {
            Settings =
            {
                ["WearIt:Payments:Stripe:SecretKey"] = stripe.SecretKey,
                ["WearIt:Payments:Stripe:WebhookSecret"] = stripe.WebhookSecret,
                ["WearIt:Payments:Stripe:ApiBase"] = stripe.BaseUrl.ToString().TrimEnd('/'),
                ["WearIt:Payments:ReturnBaseUrl"] = site.ToString(),
                // The account screen needs no TryonService; the web app only asks where it is.
                ["services:tryonservice:http:0"] = "http://127.0.0.1:9",
            },
        };
        factory.UseKestrel(site.Port);
        factory.StartServer();
        using var http = new HttpClient { BaseAddress = site };
        var email = $"shop-{Guid.NewGuid():N}@example.com";
        using (var signup = await http.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = "shop password 1", name = "Shopper" }, token))
        {
            Assert.Equal(HttpStatusCode.Created, signup.StatusCode);
        }

        await Mailbox.VerifyEmailAsync(http, factory.MailDirectory, email, token);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
        var page = await browser.NewPageAsync();
        // Stripe's hosted page is out of reach here: the test stands in for it and notes where the buyer was sent.
        var checkoutPages = new List<string>();
        await page.RouteAsync("https://checkout.stripe.com/**", async route =>
        {
            checkoutPages.Add(route.Request.Url);
            await route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>Stripe Checkout</title><p>Pay with Stripe</p>" });
        });
        try
        {
            await page.GotoAsync(new Uri(site, "/#/login").ToString());
            await page.GetByLabel("Email").FillAsync(email);
            await page.GetByLabel("Password").FillAsync("shop password 1");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Catalog" }).WaitForAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
            await Assertions.Expect(page.Locator("#credit-balance")).ToHaveTextAsync("20 credits");
            await Assertions.Expect(page.Locator("#shop li")).ToHaveCountAsync(5);

            // A first checkout is abandoned: Stripe sends the buyer to the cancel URL.
            await page.GetByRole(AriaRole.Button, new() { Name = "Buy 50 credits" }).ClickAsync();
            await page.WaitForURLAsync("https://checkout.stripe.com/**");
            var cancelled = stripe.Requests.Last().Form["cancel_url"];
            await page.GotoAsync(cancelled);
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Checkout cancelled: nothing was charged.");
            Assert.Equal(new Uri(site, "/#/account").ToString(), page.Url);

            // The second is paid: Stripe's webhook reaches ApiService, and the buyer comes back to the success URL.
            await page.GetByRole(AriaRole.Button, new() { Name = "Buy 50 credits" }).ClickAsync();
            await page.WaitForURLAsync("https://checkout.stripe.com/**");
            var sent = stripe.Requests.Last();
            var sessionId = new Uri(checkoutPages[^1]).Segments[^1];
            var paid = StripeSimulator.Event("checkout.session.completed", stripe.Session(sessionId).Object("complete", "paid"));
            using (var delivery = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/stripe/webhook") { Content = new StringContent(paid, System.Text.Encoding.UTF8, "application/json") })
            {
                delivery.Headers.TryAddWithoutValidation("Stripe-Signature", stripe.Sign(paid));
                using var delivered = await http.SendAsync(delivery, token);
                Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
            }

            await page.GotoAsync(sent.Form["success_url"].Replace("{CHECKOUT_SESSION_ID}", sessionId, StringComparison.Ordinal));
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Payment confirmed: your credits are in.", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("#credit-balance")).ToHaveTextAsync("70 credits");
            await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("null");
            await Assertions.Expect(page.Locator("#purchases tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#purchases tbody tr")).ToContainTextAsync("50 credits");
            Assert.Equal(2, checkoutPages.Count);
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "shop.png"), FullPage = true });
        }
    }

    /// <summary>A loopback port nobody listens on now, for a server that must know its own address before it starts.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
