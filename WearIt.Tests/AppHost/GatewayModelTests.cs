using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace WearIt.Tests.AppHost;

/// <summary>The gateway in the app model: the one external entry, in front of both services, and the origin their public URLs name.</summary>
public sealed class GatewayModelTests
{
    [Theory]
    [InlineData("embedded")]
    [InlineData("containers")]
    public async Task TheGatewayIsTheOnlyExternalEndpointAndReachesBothServicesOnceTheyAreUp(string mode)
    {
        await using var app = await AppHostModel.BuildAsync($"WearIt:Infrastructure={mode}");
        var gateway = app.Single<ProjectResource>("gateway");

        var environment = await AppHostModel.PublishedEnvironmentAsync(gateway);

        Assert.Equal("{apiservice.bindings.http.url}", environment["services__apiservice__http__0"]);
        Assert.Equal("{tryonservice.bindings.http.url}", environment["services__tryonservice__http__0"]);
        Assert.Equal(["apiservice", "tryonservice"], gateway.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name).Order());
        Assert.All(gateway.Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.True(endpoint.IsExternal, endpoint.Name));
        foreach (var service in new[] { "apiservice", "tryonservice" })
        {
            Assert.All(app.Single<ProjectResource>(service).Annotations.OfType<EndpointAnnotation>(), endpoint => Assert.False(endpoint.IsExternal, $"{service} {endpoint.Name}"));
        }
    }

    [Fact]
    public async Task TheServicesPublicUrlsNameTheGateway()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded");

        var api = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("apiservice"));
        var tryon = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("tryonservice"));

        const string Gateway = "{gateway.bindings.http.url}";
        Assert.Equal(Gateway, api["WearIt__Storage__PublicBaseUrl"]);
        Assert.Equal(Gateway, api["WearIt__Mail__LinkBaseUrl"]);
        Assert.Equal(Gateway, api["WearIt__Payments__ReturnBaseUrl"]);
        Assert.Equal(Gateway, api["WearIt__WebApp__TryonBaseUrl"]);
        Assert.Equal(Gateway, tryon["WearIt__Storage__PublicBaseUrl"]);
        Assert.Equal(Gateway, tryon["WearIt__WebApp__Origins__0"]);
    }

    [Fact]
    public async Task TheMobileApiGetsTheServiceTokenKeyAndTheGatewaysSettings()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", "WearIt:Gateway:MobileTokenLifetime=12:00:00");

        var gateway = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("gateway"));
        var tryon = await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>("tryonservice"));

        Assert.Equal("{service-token-key.value}", gateway["Jwt__ServiceSigningKey"]);
        Assert.Equal("12:00:00", gateway["WearIt__Gateway__MobileTokenLifetime"]);
        // The user-token secret stays with ApiService.
        Assert.False(gateway.ContainsKey("Jwt__SigningKey"));
        Assert.False(tryon.ContainsKey("WearIt__Gateway__MobileTokenLifetime"));
    }
}
