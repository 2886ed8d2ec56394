using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace WearIt.Tests.EndToEnd;

/// <summary>Boots the whole AppHost in embedded mode, as <c>dotnet run</c> does on a machine without Docker.</summary>
public sealed class EmbeddedAppHostTests
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task BothServicesStartAndReportHealthy()
    {
        var dataRoot = Path.Combine(Path.GetTempPath(), "wearit-e2e-" + Guid.NewGuid().ToString("N"));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(StartupLimit);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.WearIt_AppHost>(
        [
            "WearIt:Infrastructure=embedded",
            $"WearIt:DataRoot={dataRoot}",
            // The http profile needs no trusted dev certificate, which CI machines lack.
            "DOTNET_LAUNCH_PROFILE=http",
            "DcpPublisher:WaitForResourceCleanup=false",
        ], limit.Token);

        try
        {
            await using var app = await builder.BuildAsync(limit.Token);
            Assert.Empty(app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ContainerResource>());

            // Act
            await app.StartAsync(limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("apiservice", limit.Token);
            await app.ResourceNotifications.WaitForResourceHealthyAsync("tryonservice", limit.Token);

            // Assert
            foreach (var service in new[] { "apiservice", "tryonservice" })
            {
                using var http = app.CreateHttpClient(service, "http");
                using var health = await http.GetAsync("/health", limit.Token);
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(limit.Token));
                using var openApi = await http.GetAsync("/openapi/v1.json", limit.Token);
                Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
            }

            Assert.True(File.Exists(Path.Combine(dataRoot, "db", "wearit.db")));
            Assert.True(File.Exists(Path.Combine(dataRoot, "db", "wearit-tryon.db")));
            Assert.True(Directory.Exists(Path.Combine(dataRoot, "objects", "data")));
        }
        finally
        {
            await builder.DisposeAsync();
            if (Directory.Exists(dataRoot))
            {
                Directory.Delete(dataRoot, recursive: true);
            }
        }
    }
}
