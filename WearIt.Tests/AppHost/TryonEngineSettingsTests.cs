using Aspire.Hosting.ApplicationModel;

namespace WearIt.Tests.AppHost;

/// <summary>How the AppHost hands the try-on engine's settings and a hosted provider's key to TryonService.</summary>
public sealed class TryonEngineSettingsTests
{
    [Fact]
    public async Task AChosenProviderGetsItsSettingsAndItsKeyFromASecretParameter()
    {
        await using var app = await AppHostModel.BuildAsync(
            "WearIt:Infrastructure=embedded", "WearIt:Tryon:Engine=fashn", "WearIt:Tryon:Fashn:BaseUrl=http://127.0.0.1:9/", "WearIt:Tryon:Fashn:PollInterval=00:00:01",
            "Parameters:fashn-api-key=the-key");

        var environment = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("tryonservice"));

        Assert.Equal("fashn", environment["WearIt__Tryon__Engine"]);
        Assert.Equal("http://127.0.0.1:9/", environment["WearIt__Tryon__Fashn__BaseUrl"]);
        Assert.Equal("00:00:01", environment["WearIt__Tryon__Fashn__PollInterval"]);
        Assert.Equal("{fashn-api-key.value}", environment["WearIt__Tryon__Fashn__ApiKey"]);
        Assert.True(app.Single<ParameterResource>("fashn-api-key").Secret);
        Assert.DoesNotContain(app.Resources, resource => resource.Name == "replicate-api-token");
    }

    [Fact]
    public async Task TheCpuEngineNeedsNoProviderParameter()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded");

        var environment = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("tryonservice"));

        Assert.DoesNotContain(app.Resources, resource => resource.Name is "fashn-api-key" or "replicate-api-token");
        Assert.False(environment.ContainsKey("WearIt__Tryon__Fashn__ApiKey"));
    }

    [Fact]
    public async Task AProviderWithoutItsKeyFailsAtStartNamingTheSetting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", "WearIt:Tryon:Engine=replicate", "WearIt:Tryon:Replicate:Version=abc"));

        Assert.Contains("Parameters:replicate-api-token", error.Message);
    }
}
