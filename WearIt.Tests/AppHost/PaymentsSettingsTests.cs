using Aspire.Hosting.ApplicationModel;

namespace WearIt.Tests.AppHost;

/// <summary>How the AppHost hands Stripe's keys and the shop's settings to ApiService.</summary>
public sealed class PaymentsSettingsTests
{
    [Fact]
    public async Task StripesKeysComeFromSecretParametersAndEveryPaymentsSettingIsPassedOn()
    {
        await using var app = await AppHostModel.BuildAsync(
            "WearIt:Infrastructure=embedded", "Parameters:stripe-secret-key=sk_test_abc", "Parameters:stripe-webhook-secret=whsec_abc",
            "WearIt:Payments:Stripe:ApiBase=http://127.0.0.1:12111", "WearIt:Payments:Packs:0:PriceId=price_live_5");

        var environment = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("apiservice"));

        Assert.Equal("{stripe-secret-key.value}", environment["WearIt__Payments__Stripe__SecretKey"]);
        Assert.Equal("{stripe-webhook-secret.value}", environment["WearIt__Payments__Stripe__WebhookSecret"]);
        Assert.Equal("http://127.0.0.1:12111", environment["WearIt__Payments__Stripe__ApiBase"]);
        Assert.Equal("price_live_5", environment["WearIt__Payments__Packs__0__PriceId"]);
        Assert.Equal("{gateway.bindings.http.url}", environment["WearIt__Payments__ReturnBaseUrl"]);
        var secretKey = app.Single<ParameterResource>("stripe-secret-key");
        Assert.True(secretKey.Secret);
        Assert.Equal("sk_test_abc", await secretKey.GetValueAsync(TestContext.Current.CancellationToken));
        Assert.Equal("whsec_abc", await app.Single<ParameterResource>("stripe-webhook-secret").GetValueAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WithoutKeysTheParametersAreEmptyAndNothingWaitsForThem()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded");

        Assert.Equal("", await app.Single<ParameterResource>("stripe-secret-key").GetValueAsync(TestContext.Current.CancellationToken));
        Assert.Equal("", await app.Single<ParameterResource>("stripe-webhook-secret").GetValueAsync(TestContext.Current.CancellationToken));
        Assert.False((await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("apiservice"))).ContainsKey("WearIt__Payments__Stripe__ApiBase"));
    }
}
