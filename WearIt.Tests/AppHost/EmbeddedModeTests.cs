using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace WearIt.Tests.AppHost;

/// <summary>The embedded mode's app model: no containers at all, everything under the data root.</summary>
public sealed class EmbeddedModeTests : IAsyncLifetime
{
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "wearit-model-" + Guid.NewGuid().ToString("N"));
    private AppHostModel _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", $"WearIt:DataRoot={_dataRoot}");

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_dataRoot, recursive: true);
    }

    [Fact]
    public void DeclaresNoContainerResource()
    {
        Assert.Empty(_app.Resources.OfType<ContainerResource>());
        Assert.Equal(["apiservice", "gateway", "tryonservice"], _app.Resources.OfType<ProjectResource>().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task ServicesUseLiteDbFilesAndFoldersUnderTheDataRoot()
    {
        var api = await AppHostModel.PublishedEnvironmentAsync(_app.Single<ProjectResource>("apiservice"));
        var tryon = await AppHostModel.PublishedEnvironmentAsync(_app.Single<ProjectResource>("tryonservice"));

        Assert.Equal("litedb", api["WearIt__Database__Provider"]);
        Assert.Equal($"Filename={Path.Combine(_dataRoot, "db", "wearit.db")};Connection=direct", api["ConnectionStrings__wearit"]);
        Assert.Equal($"Filename={Path.Combine(_dataRoot, "db", "wearit-tryon.db")};Connection=direct", tryon["ConnectionStrings__wearit-tryon"]);
        Assert.Equal("filesystem", api["WearIt__Storage__Provider"]);
        Assert.Equal(Path.Combine(_dataRoot, "objects"), api["WearIt__Storage__RootPath"]);
        Assert.Equal(Path.Combine(_dataRoot, "objects"), tryon["WearIt__Storage__RootPath"]);
        Assert.Equal("pickup", api["WearIt__Mail__Provider"]);
        Assert.Equal(Path.Combine(_dataRoot, "mail"), api["WearIt__Mail__PickupDirectory"]);
        Assert.DoesNotContain("WearIt__Mail__Provider", tryon.Keys);
        Assert.True(Directory.Exists(_dataRoot));
    }

    [Fact]
    public async Task ServicesListenWithoutAProxyAndKeepATenthOfTracesByDefault()
    {
        foreach (var name in new[] { "apiservice", "tryonservice", "gateway" })
        {
            var service = _app.Single<ProjectResource>(name);
            var environment = await AppHostModel.PublishedEnvironmentAsync(service);

            Assert.False(Assert.Single(service.Annotations.OfType<ProxySupportAnnotation>()).ProxyEnabled, name);
            Assert.Equal("parentbased_traceidratio", environment["OTEL_TRACES_SAMPLER"]);
            Assert.Equal("0.1", environment["OTEL_TRACES_SAMPLER_ARG"]);
        }
    }
}

/// <summary>How <c>WearIt:Telemetry:TraceSampleRatio</c> and <c>WearIt:ServiceProxy</c> are read.</summary>
public sealed class TraceSamplingSettingTests
{
    [Fact]
    public async Task TheServiceProxySettingPutsTheProxyBackInFrontOfBothServices()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", "WearIt:ServiceProxy=true");

        Assert.All(new[] { "apiservice", "tryonservice" }, name =>
            Assert.True(Assert.Single(app.Single<ProjectResource>(name).Annotations.OfType<ProxySupportAnnotation>()).ProxyEnabled));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var wrong = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", "WearIt:ServiceProxy=sometimes");
        });
    }

    [Fact]
    public async Task TheRatioIsPassedOnToBothServices()
    {
        await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", "WearIt:Telemetry:TraceSampleRatio=1");

        foreach (var name in new[] { "apiservice", "tryonservice", "gateway" })
        {
            Assert.Equal("1", (await AppHostModel.PublishedEnvironmentAsync(app.Single<ProjectResource>(name)))["OTEL_TRACES_SAMPLER_ARG"]);
        }
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("all")]
    public async Task ARatioOutsideZeroToOneStopsTheAppHostNamingTheSetting(string ratio)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=embedded", $"WearIt:Telemetry:TraceSampleRatio={ratio}");
        });

        Assert.Contains("WearIt:Telemetry:TraceSampleRatio", error.Message);
    }
}

/// <summary>How <c>WearIt:Infrastructure</c> is read.</summary>
public sealed class InfrastructureSettingTests
{
    [Fact]
    public async Task AutoDeclaresContainersExactlyWhenAContainerRuntimeAnswers()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "wearit-auto-" + Guid.NewGuid().ToString("N"));
        var (runtime, _) = WearIt.AppHost.Infrastructure.ContainerRuntimeProbe.FindRunningRuntime(TimeSpan.FromSeconds(5));

        await using (var app = await AppHostModel.BuildAsync("WearIt:Infrastructure=auto", $"WearIt:DataRoot={dataRoot}"))
        {
            Assert.Equal(runtime is not null, app.Resources.OfType<ContainerResource>().Any());
        }

        if (Directory.Exists(dataRoot))
        {
            Directory.Delete(dataRoot, recursive: true);
        }
    }

    [Fact]
    public async Task AnUnknownModeFailsWithAMessageNamingTheChoices()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.BuildAsync("WearIt:Infrastructure=kubernetes"));

        Assert.Contains("'auto', 'containers' or 'embedded'", Flatten(error));
    }

    private static string Flatten(Exception error) =>
        string.Join(" | ", Enumerable.Repeat(error, 1).Concat(error is AggregateException aggregate ? aggregate.InnerExceptions : [])
            .SelectMany(e => new[] { e.Message, e.InnerException?.Message ?? "" }));
}
