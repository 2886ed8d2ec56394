using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>/api/v1/auth/verify-email: the mailed code, the one-click link, resending, and what verification grants.</summary>
public sealed class EmailVerificationTests(AdminEmailApiServiceFixture api) : IClassFixture<AdminEmailApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheMailedCodeVerifiesAndGrantsTheStarterCreditsOnceHoweverOftenItIsSent()
    {
        var account = await api.SignupAsync(verify: false);
        var code = Mailbox.CodeIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, account.Email, Mailbox.VerificationSubject, Cancellation));

        // Three at once (a double click, a retry), then once more later: one grant.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email.ToUpperInvariant(), code }, Cancellation);
            return response.StatusCode;
        }));
        using var again = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code }, Cancellation);

        Assert.All(concurrent, status => Assert.Equal(HttpStatusCode.NoContent, status));
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(20, await api.BalanceAsync(account));

        // Once verified, another code answers exactly as for an address without an account.
        var wrong = code == "000000" ? "111111" : "000000";
        using var guessed = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code = wrong }, Cancellation);
        using var nobody = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = "nobody-" + account.Email, code = wrong }, Cancellation);
        var guessedProblem = await guessed.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        var nobodyProblem = await nobody.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        Assert.Equal(nobodyProblem.GetProperty("detail").GetString(), guessedProblem.GetProperty("detail").GetString());
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", account.AccessToken);
        Assert.True((await ApiServiceFixture.ReadAsync(me, HttpStatusCode.OK)).GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task TheOneClickLinkVerifiesAndSendsTheBrowserToTheWebApp()
    {
        var account = await api.SignupAsync(verify: false);
        var link = Mailbox.LinkIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, account.Email, Mailbox.VerificationSubject, Cancellation))!;
        Assert.StartsWith("http://localhost/api/v1/auth/verify-email/link?", link.ToString());
        var tampered = link.PathAndQuery[..^2] + (link.PathAndQuery.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");

        using var browser = api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var wrong = await browser.GetAsync(tampered, Cancellation);
        using var right = await browser.GetAsync(link.PathAndQuery, Cancellation);

        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Equal("/#/verify-email?result=failed", wrong.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/#/verify-email?result=verified", right.Headers.Location?.ToString());
        Assert.Equal(20, await api.BalanceAsync(account));
        using var wrongAfterwards = await browser.GetAsync(tampered, Cancellation);
        Assert.Equal("/#/verify-email?result=failed", wrongAfterwards.Headers.Location?.ToString());
    }

    [Fact]
    public async Task FiveWrongCodesBurnTheCodeAndAnUnknownEmailLooksTheSame()
    {
        var account = await api.SignupAsync(verify: false);
        var code = Mailbox.CodeIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, account.Email, Mailbox.VerificationSubject, Cancellation));
        var wrong = code == "000000" ? "111111" : "000000";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var failed = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code = wrong }, Cancellation);
            await failed.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        }

        using var burnt = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code }, Cancellation);
        using var unknown = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = "nobody-" + account.Email, code }, Cancellation);

        var burntProblem = await burnt.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        var unknownProblem = await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        Assert.Equal(burntProblem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());
        Assert.Equal(0, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task MalformedVerificationsAreProblemsAndVerifyNothing()
    {
        var account = await api.SignupAsync(verify: false);
        using var browser = api.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var notAGuid = await browser.GetAsync("/api/v1/auth/verify-email/link?user=not-a-guid&token=x", Cancellation);
        using var noToken = await browser.GetAsync($"/api/v1/auth/verify-email/link?user={account.Id:N}", Cancellation);
        using var hugeCode = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code = new string('1', 100_000) }, Cancellation);
        using var noCode = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email }, Cancellation);
        using var notJson = await api.Http.PostAsync("/api/v1/auth/verify-email", new StringContent("{\"email\":", System.Text.Encoding.UTF8, "application/json"), Cancellation);

        await notAGuid.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal("/#/verify-email?result=failed", noToken.Headers.Location?.ToString());
        await hugeCode.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        var problem = await noCode.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _));
        await notJson.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, await api.BalanceAsync(account));
    }

    [Fact]
    public async Task ANewCodeReplacesTheOldOneAndAVerifiedAddressGetsNoMore()
    {
        var account = await api.SignupAsync(verify: false);
        var old = Mailbox.CodeIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, account.Email, Mailbox.VerificationSubject, Cancellation));

        using var resend = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/verify-email/resend", account.AccessToken);
        Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
        var fresh = Mailbox.CodeIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, account.Email, Mailbox.VerificationSubject, Cancellation, count: 2));
        if (old != fresh)
        {
            using var stale = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code = old }, Cancellation);
            await stale.AssertProblemAsync(HttpStatusCode.BadRequest, "verification_code_invalid");
        }

        using var verified = await api.Http.PostAsJsonAsync("/api/v1/auth/verify-email", new { email = account.Email, code = fresh }, Cancellation);
        using var afterwards = await api.SendAsync(HttpMethod.Post, "/api/v1/auth/verify-email/resend", account.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, verified.StatusCode);
        await afterwards.AssertProblemAsync(HttpStatusCode.Conflict, "email_already_verified");
    }

    [Fact]
    public async Task AdminRightsComeOnlyWithAVerifiedAdminAddress()
    {
        var admin = await api.SignupAsync(email: $"admin-{Guid.NewGuid():N}@wearit.test", verify: false);
        var configured = await SignupConfiguredAdminAsync();

        using var unverified = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", configured.AccessToken);
        Assert.Equal("user", (await ApiServiceFixture.ReadAsync(unverified, HttpStatusCode.OK)).GetProperty("role").GetString());
        using var refused = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", configured.AccessToken, new { });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        await Mailbox.VerifyEmailAsync(api.Http, api.Factory.MailDirectory, SeededApiServiceFixture.AdminEmail, Cancellation);
        using var refreshed = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = configured.RefreshToken }, Cancellation);
        var tokens = await ApiServiceFixture.ReadAsync(refreshed, HttpStatusCode.OK);
        using var me = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", tokens.GetProperty("access_token").GetString());
        Assert.Equal("admin", (await ApiServiceFixture.ReadAsync(me, HttpStatusCode.OK)).GetProperty("role").GetString());
        using var otherMe = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me", admin.AccessToken);
        Assert.Equal("user", (await ApiServiceFixture.ReadAsync(otherMe, HttpStatusCode.OK)).GetProperty("role").GetString());
    }

    private async Task<TestAccount> SignupConfiguredAdminAsync()
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = SeededApiServiceFixture.AdminEmail, password = "admin password here", name = "Admin" }, Cancellation);
        var body = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("user", body.GetProperty("user").GetProperty("role").GetString());
        var tokens = body.GetProperty("tokens");
        return new TestAccount(body.GetProperty("user").GetProperty("id").GetGuid(), SeededApiServiceFixture.AdminEmail, "admin password here", "",
            tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);
    }
}

/// <summary>An ApiService with <see cref="SeededApiServiceFixture.AdminEmail"/> configured as an admin address, and no catalog.</summary>
public sealed class AdminEmailApiServiceFixture() : ApiServiceFixture(new EmbeddedServiceFactory<WearIt.ApiService.ApiServiceAssembly>("wearit")
{
    Settings = { ["WearIt:AdminEmails:0"] = SeededApiServiceFixture.AdminEmail },
});
