using System.Net;
using System.Net.Http.Json;
using WearIt.ApiService;
using WearIt.Tests.Support;

namespace WearIt.Tests.Abuse;

/// <summary>
/// The farming rows of issue 12: ten sign-ups with one referral code earned the referrer 150 credits, and any invented
/// address earned 20. Now credits wait for a verified address, and a referrer earns for at most MaxReferrals of them.
/// </summary>
public sealed class CreditFarmingTests(CreditFarmingTests.Fixture api) : IClassFixture<CreditFarmingTests.Fixture>
{
    private const int MaxReferrals = 3;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Fixture() : ApiServiceFixture(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit")
    {
        Settings = { ["WearIt:Credits:MaxReferrals"] = MaxReferrals.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    });

    [Fact]
    public async Task TenVerifiedInviteesEarnTheReferrerOnlyUpToTheLimit()
    {
        var referrer = await api.SignupAsync();
        var invitees = new List<TestAccount>();
        for (var invitee = 0; invitee < 10; invitee++)
        {
            invitees.Add(await api.SignupAsync(referrer.ReferralCode));
        }

        Assert.Equal(20 + (MaxReferrals * 15), await api.BalanceAsync(referrer));
        var balances = await Task.WhenAll(invitees.Select(api.BalanceAsync));
        Assert.Equal(MaxReferrals, balances.Count(balance => balance == 35));
        Assert.Equal(10 - MaxReferrals, balances.Count(balance => balance == 20));
    }

    [Fact]
    public async Task InventedAddressesThatNeverVerifyEarnNothing()
    {
        var referrer = await api.SignupAsync();
        var invented = new List<TestAccount>();
        for (var invitee = 0; invitee < 5; invitee++)
        {
            invented.Add(await api.SignupAsync(referrer.ReferralCode, verify: false));
        }

        Assert.Equal(20, await api.BalanceAsync(referrer));
        Assert.All(await Task.WhenAll(invented.Select(api.BalanceAsync)), balance => Assert.Equal(0, balance));
    }

    [Theory]
    [InlineData("{0}+farm@example.com")]
    [InlineData("{0}+farm2@example.com")]
    public async Task TheReferrersOwnAddressWithATagIsNotAReferral(string pattern)
    {
        var local = $"farmer.{Guid.NewGuid():N}";
        var referrer = await api.SignupAsync(email: $"{local}@example.com");

        using var tagged = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, local), password = "farming password", name = "Farmer", referralCode = referrer.ReferralCode }, Cancellation);
        using var undotted = await api.Http.PostAsJsonAsync("/api/v1/auth/signup",
            new { email = $"{local.Replace(".", "", StringComparison.Ordinal)}@example.com", password = "farming password", name = "Farmer", referralCode = referrer.ReferralCode }, Cancellation);

        var problem = await tagged.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("referralCode", out _));
        await undotted.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(20, await api.BalanceAsync(referrer));
    }

    [Fact]
    public async Task ConcurrentVerificationsOfInviteesStillStopAtTheLimit()
    {
        var referrer = await api.SignupAsync();
        var invitees = new List<TestAccount>();
        for (var invitee = 0; invitee < 8; invitee++)
        {
            invitees.Add(await api.SignupAsync(referrer.ReferralCode, verify: false));
        }

        await Task.WhenAll(invitees.Select(invitee => Mailbox.VerifyEmailAsync(api.Http, api.Factory.MailDirectory, invitee.Email, Cancellation)));

        Assert.Equal(20 + (MaxReferrals * 15), await api.BalanceAsync(referrer));
    }
}
