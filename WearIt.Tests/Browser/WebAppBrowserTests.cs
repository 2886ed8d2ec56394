using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using WearIt.Tests.Support;

namespace WearIt.Tests.Browser;

/// <summary>
/// The web app in headless Chromium (Debian's package, `apt-get install chromium` in .ci/run) against the whole
/// AppHost in embedded mode, through the gateway's origin only. Each test saves a screenshot of its last screen under the test output.
/// </summary>
public sealed class WebAppBrowserTests(SharedAppHost appHost)
{
    [Fact]
    public async Task AVisitorSearchesFiltersAndPagesTheCatalogAndAsksForAPasswordReset()
    {
        var chromium = Chromium.PathOrSkip();
        await using var session = await BrowserSession.StartAsync(appHost, chromium);
        var page = session.Page;
        try
        {
            await page.GotoAsync(new Uri(session.Site, "/#/catalog").ToString());
            await page.GetByText("64 products").WaitForAsync();

            await page.GetByLabel("Search").FillAsync("navy");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await page.GetByText("8 products").WaitForAsync();

            await page.GetByLabel("Search").FillAsync("");
            await page.GetByLabel("Category").SelectOptionAsync("tops");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await page.GetByText("24 products · page 1 of 1").WaitForAsync();

            await page.GetByLabel("Category").SelectOptionAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
            await page.GetByText("page 1 of 3").WaitForAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
            await page.GetByText("page 2 of 3").WaitForAsync();

            await page.Locator(".card a").First.ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Log in to try it on" }).WaitForAsync();

            await page.GotoAsync(new Uri(session.Site, "/#/forgot").ToString());
            await page.GetByLabel("Email").First.FillAsync("nobody@example.com");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send me a code" }).ClickAsync();
            await page.GetByText("a 6-digit code is on its way").WaitForAsync();
            session.AssertNoConsoleErrors();
        }
        finally
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "catalog-and-reset.png"), FullPage = true });
        }
    }

    /// <summary>One Chromium page on the shared AppHost, and what went wrong in the page.</summary>
    private sealed class BrowserSession : IAsyncDisposable
    {
        private readonly List<string> _consoleErrors = [];
        private readonly List<string> _failedResponses = [];
        private IPlaywright _playwright = null!;
        private IBrowser _browser = null!;

        public EmbeddedAppHost Host { get; private set; } = null!;

        public IPage Page { get; private set; } = null!;

        public Uri Site { get; private set; } = null!;

        public static async Task<BrowserSession> StartAsync(SharedAppHost appHost, string chromium)
        {
            var session = new BrowserSession();
            var token = TestContext.Current.CancellationToken;
            session.Host = await appHost.StartedAsync(token);
            // Through the one public origin only, as a visitor meets it.
            session.Site = session.Host.Endpoint("gateway");
            session._playwright = await Playwright.CreateAsync();
            session._browser = await session._playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
            session.Page = await session._browser.NewPageAsync();
            session.Page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    lock (session._consoleErrors)
                    {
                        session._consoleErrors.Add($"{message.Text} ({message.Location})");
                    }
                }
            };
            // The console names no URL for a failed load; the responses do (without their query: signatures stay out).
            session.Page.Response += (_, response) =>
            {
                if (response.Status >= 400)
                {
                    lock (session._consoleErrors)
                    {
                        session._failedResponses.Add($"{response.Status} {response.Request.Method} {response.Url.Split('?')[0]}");
                    }
                }
            };
            return session;
        }

        /// <summary>The page logged no error (a failed load or a script error); the message lists them and the failed responses.</summary>
        public void AssertNoConsoleErrors()
        {
            lock (_consoleErrors)
            {
                Assert.True(_consoleErrors.Count == 0, string.Join(Environment.NewLine, _consoleErrors.Concat(_failedResponses)));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
        }
    }

    [Fact]
    public async Task APersonSignsUpUploadsAPhotoTriesAnOutfitOnReloadsStillSeesTheResultAndDeletesTheAccount()
    {
        var photo = TestPhotos.MessiOrSkip();
        var chromium = Chromium.PathOrSkip();
        var token = TestContext.Current.CancellationToken;
        var photoPath = Path.Combine(Path.GetTempPath(), $"messi5-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(photoPath, photo, token);
        try
        {
            await using var session = await BrowserSession.StartAsync(appHost, chromium);
            var (page, site, host) = (session.Page, session.Site, session.Host);
            try
            {
                // Sign up.
                await page.GotoAsync(new Uri(site, "/#/signup").ToString());
                await page.GetByLabel("Name").FillAsync("Eileen");
                var email = $"browser-{Guid.NewGuid():N}@example.com";
                await page.GetByLabel("Email").FillAsync(email);
                await page.GetByLabel("Password (8 to 128 characters)").FillAsync("browser password");
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign up" }).ClickAsync();

                // Verify the address with the mailed code (the email is filled in already).
                await page.GetByRole(AriaRole.Heading, new() { Name = "Verify your email" }).WaitForAsync();
                var mail = await Mailbox.WaitForAsync(Path.Combine(host.DataRoot, "mail"), email, Mailbox.VerificationSubject, token);
                await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync(email);
                await page.GetByLabel("6-digit code").FillAsync(Mailbox.CodeIn(mail));
                await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

                // Upload the photo.
                await page.GetByRole(AriaRole.Heading, new() { Name = "My photos" }).WaitForAsync();
                await page.GetByLabel("Your photo").SetInputFilesAsync(photoPath);
                // The check can be over in a few hundred milliseconds: the wait for its status starts before the upload,
                // and watches the page itself, so a status shown only briefly is still seen.
                var checking = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Checking your photo" }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
                await page.GetByRole(AriaRole.Button, new() { Name = "Upload photo" }).ClickAsync();
                await checking;
                await page.GetByText("Default photo").WaitForAsync();
                await page.GetByText("Ready to try on: tops, bottoms, dresses").WaitForAsync(new() { Timeout = 60_000 });
                await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "photo-checked.png"), FullPage = true });

                // Try an outfit (a top and a bottom) on and watch the result arrive over the WebSocket.
                await page.GetByRole(AriaRole.Link, new() { Name = "Try on" }).ClickAsync();
                await page.GetByRole(AriaRole.Heading, new() { Name = "Try on" }).WaitForAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Hoodie" }).First.ClickAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Skirt" }).First.ClickAsync();
                await Assertions.Expect(page.GetByText("Chosen:")).ToContainTextAsync("Hoodie");
                await Assertions.Expect(page.GetByText("Chosen:")).ToContainTextAsync("Skirt");
                await page.GetByRole(AriaRole.Button, new() { Name = "Start try-on" }).ClickAsync();
                await page.Locator(".stages li").First.WaitForAsync();

                // Reload in the middle of it: the session, the socket and the try-on all come back.
                await page.ReloadAsync();
                var result = page.Locator("#tryon-result");
                await result.WaitForAsync(new() { Timeout = 60_000 });
                var loaded = await result.EvaluateAsync<bool>("image => image.complete && image.naturalWidth > 0");
                Assert.True(loaded, "the result image should load");
                await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "tryon-result.png"), FullPage = true });

                // The ledger shows the spend; then the account is deleted.
                await page.GetByRole(AriaRole.Link, new() { Name = "Account" }).ClickAsync();
                await Assertions.Expect(page.Locator("#credit-balance")).ToHaveTextAsync("19 credits");
                await Assertions.Expect(page.Locator("#shop")).ToHaveCountAsync(0); // no Stripe keys on this AppHost: no shop
                await page.GetByLabel("Password to confirm").FillAsync("browser password");
                await page.GetByRole(AriaRole.Button, new() { Name = "Delete my account and all my photos" }).ClickAsync();
                await page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" }).WaitForAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeHiddenAsync();

                session.AssertNoConsoleErrors();
            }
            finally
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "signup-tryon-delete.png"), FullPage = true });
            }
        }
        finally
        {
            File.Delete(photoPath);
        }
    }
}
