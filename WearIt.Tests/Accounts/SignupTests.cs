using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>POST /api/v1/auth/signup.</summary>
public sealed class SignupTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANewUserGetsTheirAccountATokenPairAndAVerificationMailButNoCreditsYet()
    {
        var email = $"  New.User-{Guid.NewGuid():N}@Example.COM ";

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email, password = "a long enough password", name = "  Ada  " }, Cancellation);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        var user = body.GetProperty("user");
        Assert.Equal(email.Trim().ToLowerInvariant(), user.GetProperty("email").GetString());
        Assert.Equal("Ada", user.GetProperty("name").GetString());
        Assert.Equal("user", user.GetProperty("role").GetString());
        Assert.False(user.GetProperty("emailVerified").GetBoolean());
        var tokens = body.GetProperty("tokens");
        Assert.Equal("bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(900, tokens.GetProperty("expires_in").GetInt32());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refresh_token").GetString()));
        using var credits = await api.SendAsync(HttpMethod.Get, "/api/v1/users/me/credits", tokens.GetProperty("access_token").GetString());
        var ledger = await credits.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
        Assert.Equal(0, ledger.GetProperty("balance").GetInt32());
        var mail = await Mailbox.WaitForAsync(api.Factory.MailDirectory, email.Trim().ToLowerInvariant(), Mailbox.VerificationSubject, Cancellation);
        Assert.Matches(@"^\d{6}$", Mailbox.CodeIn(mail));
        Assert.NotNull(Mailbox.LinkIn(mail));
    }

    [Fact]
    public async Task InvalidFieldsAreAllReportedAndNothingIsCreated()
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = "not-an-email", password = "short", name = "A" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("name", out _));
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = "not-an-email", password = "short" }, Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(129)]
    public async Task PasswordsOutside8To128CharactersAreRefused(int length)
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = $"len-{Guid.NewGuid():N}@example.com", password = new string('p', length), name = "Len" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("password", out _));
    }

    [Fact]
    public async Task ThePasswordMayNotBeTheEmail()
    {
        var email = $"same-{Guid.NewGuid():N}@example.com";

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup", new { email, password = email.ToUpperInvariant(), name = "Same" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("email", problem.GetProperty("errors").GetProperty("password")[0].GetString());
    }

    [Fact]
    public async Task ADuplicateEmailInAnyCaseIsAConflict()
    {
        var account = await api.SignupAsync();

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = " " + account.Email.ToUpperInvariant(), password = "another password", name = "Twin" }, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task AVerifiedReferralGivesBothUsers15CreditsOncePerNewUser()
    {
        var referrer = await api.SignupAsync();

        var first = await api.SignupAsync(referrer.ReferralCode.ToLowerInvariant());
        var second = await api.SignupAsync(referrer.ReferralCode);

        Assert.Equal(35, await api.BalanceAsync(first));
        Assert.Equal(35, await api.BalanceAsync(second));
        Assert.Equal(50, await api.BalanceAsync(referrer));
    }

    [Fact]
    public async Task AnUnknownReferralCodeIsAFieldError()
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = $"ref-{Guid.NewGuid():N}@example.com", password = "a good password", name = "Ref", referralCode = "NOPE0000" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("referralCode", out _));
    }
}
