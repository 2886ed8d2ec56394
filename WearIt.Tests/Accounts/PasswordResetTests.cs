using System.Net;
using System.Net.Http.Json;
using MimeKit;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>POST /api/v1/auth/password-reset/request and /confirm, with the mail read from the pickup folder.</summary>
public sealed class PasswordResetTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnUnknownEmailGets202AndNoMail()
    {
        var email = $"ghost-{Guid.NewGuid():N}@example.com";

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/request", new { email }, Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Mail leaves in the order it was queued: once a later request's mail is out, the ghost's would have been too.
        var account = await api.SignupAsync();
        await RequestCodeAsync(account.Email);
        Assert.Null(FindMail(email));
    }

    [Fact]
    public async Task TheMailedCodeSetsANewPasswordAndEndsEverySession()
    {
        var account = await api.SignupAsync();

        var code = await RequestCodeAsync(account.Email);
        using var confirm = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "a brand new password" }, Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, confirm.StatusCode);
        using var oldPassword = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        using var newPassword = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = "a brand new password" }, Cancellation);
        using var oldSession = await api.Http.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = account.RefreshToken }, Cancellation);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, newPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession.StatusCode);
    }

    [Fact]
    public async Task ACodeWorksOnlyOnce()
    {
        var account = await api.SignupAsync();
        var code = await RequestCodeAsync(account.Email);
        using var first = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "first new password" }, Cancellation);

        using var second = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "second new password" }, Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.BadRequest, "reset_code_invalid");
    }

    [Fact]
    public async Task FiveWrongCodesBurnTheCode()
    {
        var account = await api.SignupAsync();
        var code = await RequestCodeAsync(account.Email);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var failed = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
                new { email = account.Email, code = wrong, newPassword = "irrelevant password" }, Cancellation);
            await failed.AssertProblemAsync(HttpStatusCode.BadRequest, "reset_code_invalid");
        }

        using var right = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "should not be set" }, Cancellation);

        await right.AssertProblemAsync(HttpStatusCode.BadRequest, "reset_code_invalid");
        using var login = await api.Http.PostAsJsonAsync("/api/v1/auth/login", new { email = account.Email, password = account.Password }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task AnUnknownEmailAndAWrongCodeLookTheSameOnConfirm()
    {
        var account = await api.SignupAsync();
        await RequestCodeAsync(account.Email);

        using var unknown = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = "nobody-" + account.Email, code = "123456", newPassword = "some new password" }, Cancellation);

        await unknown.AssertProblemAsync(HttpStatusCode.BadRequest, "reset_code_invalid");
    }

    [Fact]
    public async Task TheNewPasswordFollowsThePasswordRules()
    {
        var account = await api.SignupAsync();
        var code = await RequestCodeAsync(account.Email);

        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "short" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("newPassword", out _));
    }

    [Fact]
    public async Task CheckingACodeDoesNotUseItUpButWrongChecksBurnIt()
    {
        var account = await api.SignupAsync();
        var code = await RequestCodeAsync(account.Email);
        var wrong = code == "000000" ? "111111" : "000000";

        var right = await CheckAsync(account.Email, code);
        var again = await CheckAsync(account.Email, code);
        var unknown = await CheckAsync($"ghost-{Guid.NewGuid():N}@example.com", code);
        var wrongs = new List<bool>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            wrongs.Add(await CheckAsync(account.Email, wrong));
        }

        var afterBurn = await CheckAsync(account.Email, code);
        using var confirm = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/confirm",
            new { email = account.Email, code, newPassword = "never set password" }, Cancellation);

        Assert.True(right);
        Assert.True(again);
        Assert.False(unknown);
        Assert.All(wrongs, Assert.False);
        Assert.False(afterBurn);
        await confirm.AssertProblemAsync(HttpStatusCode.BadRequest, "reset_code_invalid");
    }

    [Fact]
    public async Task CheckingNeedsAnEmailAndACode()
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { email = "someone@example.com" }, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _));
    }

    private async Task<bool> CheckAsync(string email, string code)
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/check", new { email, code }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Cancellation)).GetProperty("valid").GetBoolean();
    }

    private async Task<string> RequestCodeAsync(string email)
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/auth/password-reset/request", new { email }, Cancellation);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return Mailbox.CodeIn(await Mailbox.WaitForAsync(api.Factory.MailDirectory, email, ResetSubject, Cancellation));
    }

    private MimeMessage? FindMail(string email) => Mailbox.Find(api.Factory.MailDirectory, email, ResetSubject).FirstOrDefault();

    private const string ResetSubject = "password reset code";
}
