using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using WearIt.Tests.Support;
using WearIt.Tests.Support.Providers;

namespace WearIt.Tests.EndToEnd;

/// <summary>
/// The whole product with the engine set to a hosted provider and its base URL at the provider's simulator: an outfit
/// over the WebSocket is two provider calls and succeeds, a provider failure refunds the credit, a provider fault is
/// tried again with a new prediction, and a TryonService
/// killed while it reads a prediction reads that same prediction when it is back, never creating another.
/// </summary>
public sealed class HostedProviderEndToEndTests
{
    public static TheoryData<string> Providers => ["fashn", "replicate"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ATryonOnAHostedProviderIsOneCallPerGarmentSurvivesACrashAndRefundsAFailure(string provider)
    {
        var photo = TestPhotos.MessiOrSkip();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        var token = limit.Token;
        await using ProviderSimulator simulator = provider == "fashn" ? await FashnSimulator.StartNewAsync() : await ReplicateSimulator.StartNewAsync();
        var section = provider == "fashn" ? "WearIt:Tryon:Fashn" : "WearIt:Tryon:Replicate";
        var parameter = provider == "fashn" ? "fashn-api-key" : "replicate-api-token";
        List<string> settings =
        [
            $"WearIt:Tryon:Engine={provider}",
            $"{section}:BaseUrl={simulator.BaseUrl}",
            $"{section}:PollInterval=00:00:00.100",
            $"Parameters:{parameter}={simulator.Key}",
            // A job whose worker died is claimed again after its lease: short here, so the crash test is quick.
            "WearIt:Tryon:Lease=00:00:03",
        ];
        if (simulator is ReplicateSimulator replicate)
        {
            settings.Add($"{section}:Version={replicate.Version}");
        }

        await using var host = await EmbeddedAppHost.StartAsync(token, settings);
        using var api = host.CreateHttpClient("apiservice");
        var accessToken = await SignUpAsync(host, api, token);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var bodyId = await UploadAsync(api, photo, token);
        var topId = await FirstProductAsync(api, "tops", token);
        var bottomId = await FirstProductAsync(api, "bottoms", token);

        // An outfit over the WebSocket: two provider calls, the bottom on the top's result.
        using (var socket = await ConnectAsync(host, accessToken, token))
        {
            await StartAsync(socket, bodyId, [topId, bottomId], token);
            var succeeded = await ReceiveEndAsync(socket, token);
            Assert.Equal("tryon.succeeded", succeeded.GetProperty("type").GetString());
            Assert.Equal(2, simulator.Creates.Count);
            Assert.Empty(simulator.Refusals);
            using var result = SKBitmap.Decode(await new HttpClient().GetByteArrayAsync(succeeded.GetProperty("resultUrl").GetString(), token));
            Assert.Equal(SKColors.Navy, result.GetPixel(result.Width / 2, result.Height * 70 / 100));
        }

        Assert.Equal(19, await BalanceAsync(api, token));

        // A provider failure: the try-on fails with WearIt's code and its credit comes back.
        simulator.Enqueue(new SimulatedRun { FailWith = provider == "fashn" ? "ContentModerationError" : "NSFW content detected." });
        using (var socket = await ConnectAsync(host, accessToken, token))
        {
            await StartAsync(socket, bodyId, [topId], token);
            var failed = await ReceiveEndAsync(socket, token);
            Assert.Equal(("tryon.failed", "content_rejected"), (failed.GetProperty("type").GetString(), failed.GetProperty("code").GetString()));
        }

        Assert.Equal(19, await BalanceAsync(api, token));

        // A provider fault is worth another attempt: a new prediction, one credit.
        simulator.Enqueue(new SimulatedRun { FailWith = provider == "fashn" ? "PipelineError" : "CUDA out of memory." }, new SimulatedRun());
        var createsBeforeRetry = simulator.CreateCalls;
        using (var socket = await ConnectAsync(host, accessToken, token))
        {
            await StartAsync(socket, bodyId, [topId], token);
            Assert.Equal("tryon.succeeded", (await ReceiveEndAsync(socket, token)).GetProperty("type").GetString());
        }

        Assert.Equal(createsBeforeRetry + 2, simulator.CreateCalls);
        Assert.Equal(18, await BalanceAsync(api, token));

        // TryonService dies while it reads a prediction; back up, it reads the same one and the try-on succeeds.
        simulator.Enqueue(new SimulatedRun { Hold = true });
        var createsBefore = simulator.CreateCalls;
        using var tryonApi = host.CreateHttpClient("tryonservice");
        tryonApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var accepted = await tryonApi.PostAsJsonAsync("/api/v1/tryons", new { bodyId, items = new[] { new { source = "catalog", id = topId } }, mode = "fast" }, token);
        var tryonId = (await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await simulator.WaitForStatusReadsAsync(simulator.StatusReads + 2, token);
        // A crash: the process is killed, nothing in it gets to finish; the orchestrator then starts it again.
        Assert.True(host.App.ResourceNotifications.TryGetCurrentState("tryonservice", out var running));
        var pid = Convert.ToInt32(running.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
        System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        await host.App.ResourceNotifications.WaitForResourceAsync("tryonservice", KnownResourceStates.TerminalStates, token);
        var started = await host.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("tryonservice", KnownResourceCommands.StartCommand, token);
        Assert.True(started.Success, started.Message);
        await host.App.ResourceNotifications.WaitForResourceHealthyAsync("tryonservice", token);
        // Connected before the provider lets the prediction finish: a socket streams what happens after it connects.
        using (var socket = await ConnectAsync(host, accessToken, token))
        {
            simulator.Release();
            var end = await ReceiveEndAsync(socket, token, tryonId);
            Assert.Equal("tryon.succeeded", end.GetProperty("type").GetString());
        }

        Assert.Equal(createsBefore + 1, simulator.CreateCalls);
        Assert.Equal(17, await BalanceAsync(api, token));
    }

    private static async Task<string> SignUpAsync(EmbeddedAppHost host, HttpClient api, CancellationToken token)
    {
        var signup = await Mailbox.SignUpVerifiedAsync(api, Path.Combine(host.DataRoot, "mail"), $"hosted-{Guid.NewGuid():N}@example.com", "hosted provider password", "Eileen", token);
        return signup.GetProperty("tokens").GetProperty("access_token").GetString()!;
    }

    private static async Task<Guid> UploadAsync(HttpClient api, byte[] photo, CancellationToken token)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(photo) { Headers = { ContentType = new("image/jpeg") } }, "image", "messi5.jpg" } };
        using var upload = await api.PostAsync("/api/v1/bodies", form, token);
        var bodyId = (await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var checkedBody = await ApiServiceFixture.WaitForBodyCheckedAsync(api, bodyId, token);
        Assert.Equal("ready", checkedBody.GetProperty("status").GetString());
        return bodyId;
    }

    private static async Task<Guid> FirstProductAsync(HttpClient api, string category, CancellationToken token)
    {
        using var page = await api.GetAsync($"/api/v1/catalog/products?category={category}&pageSize=1", token);
        return (await ApiServiceFixture.ReadAsync(page, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();
    }

    private static async Task<int> BalanceAsync(HttpClient api, CancellationToken token)
    {
        using var credits = await api.GetAsync("/api/v1/users/me/credits", token);
        return (await ApiServiceFixture.ReadAsync(credits, HttpStatusCode.OK)).GetProperty("balance").GetInt32();
    }

    private static async Task<ClientWebSocket> ConnectAsync(EmbeddedAppHost host, string accessToken, CancellationToken token)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{host.Endpoint("tryonservice").Authority}/api/v1/tryons/ws?access_token={accessToken}"), token);
        return socket;
    }

    private static Task StartAsync(ClientWebSocket socket, Guid bodyId, Guid[] productIds, CancellationToken token) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "start", request = new { bodyId, items = productIds.Select(id => new { source = "catalog", id }), mode = "fast" } }),
            WebSocketMessageType.Text, true, token);

    /// <summary>The first end of a try-on (of <paramref name="tryonId"/>, or of any) the socket sends; fails on an error message.</summary>
    private static async Task<JsonElement> ReceiveEndAsync(ClientWebSocket socket, CancellationToken token, Guid? tryonId = null)
    {
        while (true)
        {
            var message = await SocketMessages.ReceiveAsync(socket, token);
            var type = message.GetProperty("type").GetString();
            Assert.NotEqual("error", type);
            if (type is "tryon.succeeded" or "tryon.failed" or "tryon.canceled" && (tryonId is null || message.GetProperty("tryonId").GetGuid() == tryonId))
            {
                return message;
            }
        }
    }
}
