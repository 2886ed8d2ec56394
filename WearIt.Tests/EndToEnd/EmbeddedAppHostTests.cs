using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using WearIt.Tests.Support;

namespace WearIt.Tests.EndToEnd;

/// <summary>The whole AppHost in embedded mode (the shared one), as <c>dotnet run</c> boots it on a machine without Docker.</summary>
public sealed class EmbeddedAppHostTests(SharedAppHost appHost)
{
    private static readonly TimeSpan StartupLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task BothServicesStartAndReportHealthy()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(StartupLimit);

        // Act
        var host = await appHost.StartedAsync(limit.Token);

        // Assert
        Assert.Empty(host.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ContainerResource>());
        foreach (var service in new[] { "apiservice", "tryonservice" })
        {
            using var http = host.CreateHttpClient(service);
            using var health = await http.GetAsync("/health", limit.Token);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(limit.Token));
            using var openApi = await http.GetAsync("/openapi/v1.json", limit.Token);
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        }

        await DeletingAnAccountReachesTryonServiceAsync(host.App, limit.Token);

        Assert.True(File.Exists(Path.Combine(host.DataRoot, "db", "wearit.db")));
        Assert.True(File.Exists(Path.Combine(host.DataRoot, "db", "wearit-tryon.db")));
        Assert.True(Directory.Exists(Path.Combine(host.DataRoot, "objects", "data")));
    }

    /// <summary>
    /// Signs up, deletes the account, and waits for TryonService to log that it removed the account's try-ons:
    /// proof that service discovery, service tokens and the internal endpoint work across real processes.
    /// </summary>
    private static async Task DeletingAnAccountReachesTryonServiceAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        using var api = app.CreateHttpClient("apiservice", "http");
        var email = $"e2e-{Guid.NewGuid():N}@example.com";
        using var signup = await api.PostAsJsonAsync("/api/v1/auth/signup",
            new { email, password = "end to end password", name = "End To End" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, signup.StatusCode);
        var body = await signup.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var userId = body.GetProperty("user").GetProperty("id").GetGuid();
        var token = body.GetProperty("tokens").GetProperty("access_token").GetString();

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/users/me")
        {
            Content = JsonContent.Create(new { password = "end to end password" }),
        };
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deleted = await api.SendAsync(delete, cancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        var tryonInstance = await InstanceIdAsync(app, "tryonservice", cancellationToken);
        var apiInstance = await InstanceIdAsync(app, "apiservice", cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await foreach (var batch in logs.WatchAsync(tryonInstance).WithCancellation(wait.Token))
            {
                if (batch.Any(line => line.Content.Contains($"Deleted the try-on data of account {userId}", StringComparison.Ordinal)))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var apiLog = new List<string>();
            await foreach (var batch in logs.GetAllAsync(apiInstance).WithCancellation(cancellationToken))
            {
                apiLog.AddRange(batch.Select(line => line.Content));
            }

            Assert.Fail("TryonService never logged the deletion. ApiService said:\n" + string.Join("\n", apiLog.TakeLast(60)));
        }
    }

    /// <summary>The running instance's id (such as <c>tryonservice-abcd1234</c>), which resource logs are kept under.</summary>
    private static async Task<string> InstanceIdAsync(DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == resourceName)
            {
                return update.ResourceId;
            }
        }

        throw new InvalidOperationException($"No notification for {resourceName}.");
    }
}
