using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>The try-on WebSocket protocol (docs/tryon-websocket.md): auth, start, ordered events, resume, errors.</summary>
public sealed class TryonSocketTests : IAsyncLifetime
{
    private static readonly Guid Body = FakeApiService.Body;
    private static readonly Guid Top = FakeApiService.Top;

    private static FakeApiService OneOutfit() =>
        new FakeApiService().WithBody(new BodyInfo(Body, "users/t/bodies/b/original.png", 512, 512)).WithGarment(Top, "upper", "catalog/t/i/original.png");
    // Shared mode: one test runs a second instance over the same LiteDB file (embedded mode's own direct mode is one process per file).
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon") { SharedDatabase = true };
    private readonly Guid _user = Guid.NewGuid();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(OneOutfit()));
        _ = _factory.Server;
        var objects = _factory.Services.GetRequiredService<IObjectStore>();
        await objects.PutAsync("users/t/bodies/b/original.png", new MemoryStream(TestPhotos.AstronautOrSkip()), "image/png", Cancellation);
        await objects.PutAsync("catalog/t/i/original.png", new MemoryStream(GarmentArtist.Draw(GarmentKind.Tee, SKColors.Orange)), "image/png", Cancellation);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AMissingOrBadTokenClosesWith4401AndSendsNothing()
    {
        foreach (var query in new[] { "", "?access_token=not-a-jwt" })
        {
            using var socket = await ConnectAsync(query);

            var buffer = new byte[1024];
            var result = await socket.ReceiveAsync(buffer, Cancellation);

            Assert.Equal(WebSocketMessageType.Close, result.MessageType);
            Assert.Equal(TryonSocket.Unauthorized, socket.CloseStatus);
        }
    }

    [Fact]
    public async Task AStartedTryonStreamsQueuedProgressAndSucceededInOrder()
    {
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}");

        await SendAsync(socket, new { type = "start", requestId = "r1", request = new { bodyId = Body, items = new[] { new { source = "catalog", id = Top } }, mode = "fast", seed = 5 } });
        var messages = await ReceiveUntilAsync(socket, "tryon.succeeded");

        // The reply and the job's events travel apart: the protocol orders the events (by seq), not the reply among them.
        var started = Assert.Single(messages, message => message.GetProperty("type").GetString() == "started");
        Assert.Equal("r1", started.GetProperty("requestId").GetString());
        var events = messages.Where(message => message.GetProperty("type").GetString() != "started").ToList();
        Assert.Equal("tryon.queued", events[0].GetProperty("type").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "tryon.progress" && e.TryGetProperty("previewUrl", out _));
        var seqs = events.Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        var succeeded = events[^1];
        Assert.Equal(512, succeeded.GetProperty("width").GetInt32());
        using var http = _factory.CreateClient();
        using var image = await http.GetAsync(succeeded.GetProperty("resultUrl").GetString(), Cancellation);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AfterAReconnectResumeReplaysEveryMissedEvent()
    {
        long lastSeen;
        using (var first = await ConnectAsync($"?access_token={TestTokens.User(_user)}"))
        {
            await SendAsync(first, new { type = "start", request = new { bodyId = Body, items = new[] { new { source = "catalog", id = Top } } } });
            var queued = await ReceiveUntilAsync(first, "tryon.queued");
            lastSeen = queued[^1].GetProperty("seq").GetInt64();
            first.Abort();
        }

        using var second = await ConnectAsync($"?access_token={TestTokens.User(_user)}&lastSeq={lastSeen}");
        var replayed = await ReceiveUntilAsync(second, "tryon.succeeded");

        Assert.Equal(lastSeen + 1, replayed[0].GetProperty("seq").GetInt64());
        Assert.Contains(replayed, e => e.GetProperty("type").GetString() == "tryon.progress");
    }

    [Fact]
    public async Task MalformedFramesGetAnErrorEventAndTheSocketStaysOpen()
    {
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}");

        await socket.SendAsync(Encoding.UTF8.GetBytes("{not json"), WebSocketMessageType.Text, true, Cancellation);
        var error = (await ReceiveUntilAsync(socket, "error"))[^1];
        await SendAsync(socket, new { type = "ping", requestId = "p" });
        var pong = (await ReceiveUntilAsync(socket, "pong"))[^1];

        Assert.Equal("bad_message", error.GetProperty("code").GetString());
        Assert.Equal("p", pong.GetProperty("requestId").GetString());
        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task AStartWithANullItemIsAValidationErrorAndTheSocketStaysOpen()
    {
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}");

        await SendAsync(socket, new { type = "start", requestId = "nulls", request = new { bodyId = Guid.NewGuid(), items = new object?[] { null } } });
        var error = (await ReceiveUntilAsync(socket, "error"))[^1];
        await SendAsync(socket, new { type = "ping", requestId = "p" });
        var pong = (await ReceiveUntilAsync(socket, "pong"))[^1];

        Assert.Equal(("validation_failed", "nulls"), (error.GetProperty("code").GetString(), error.GetProperty("requestId").GetString()));
        Assert.True(error.GetProperty("errors").TryGetProperty("items", out _));
        Assert.Equal("p", pong.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task AnInvalidStartIsAnErrorWithFieldErrors()
    {
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}");

        await SendAsync(socket, new { type = "start", requestId = "bad", request = new { items = Array.Empty<object>() } });
        var error = (await ReceiveUntilAsync(socket, "error"))[^1];

        Assert.Equal("validation_failed", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("errors").TryGetProperty("bodyId", out _));
    }

    [Fact]
    public async Task ACancelOverTheSocketEndsTheJobWithTryonCanceled()
    {
        var objects = _factory.Services.GetRequiredService<IObjectStore>();
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}");
        var jobs = _factory.Services.GetRequiredService<ITryonJobRepository>();

        // A queued job no worker has reached yet is cancelled at once; insert one directly so the race is not ours.
        var job = new TryonJob
        {
            Id = Guid.CreateVersion7(), UserId = _user, BodyId = Body, BodyImageKey = "users/t/bodies/b/original.png",
            Items = [new TryonItem { Source = "catalog", Id = Top, ClothType = "upper", ImageKey = "catalog/t/i/original.png" }],
            OutfitKey = "cancel-me", Version = 1, Status = TryonStatus.Queued, CreatedAt = DateTime.UtcNow.AddHours(1), UpdatedAt = DateTime.UtcNow,
        };
        await jobs.TryInsertAsync(job, Cancellation);
        await SendAsync(socket, new { type = "cancel", tryonId = job.Id });
        var canceled = (await ReceiveUntilAsync(socket, "tryon.canceled"))[^1];

        Assert.Equal(job.Id, canceled.GetProperty("tryonId").GetGuid());
        Assert.Equal(TryonStatus.Canceled, (await jobs.FindAsync(_user, job.Id, Cancellation))!.Status);
        Assert.Empty(await objects.ListAsync($"users/{_user}/tryons/{job.Id}/", Cancellation).ToListAsync(Cancellation));
    }

    [Fact]
    public async Task AnotherUsersJobIsNeverVisibleOnMySocket()
    {
        var stranger = Guid.NewGuid();
        using var mine = await ConnectAsync($"?access_token={TestTokens.User(_user)}");
        using var theirs = await ConnectAsync($"?access_token={TestTokens.User(stranger)}");

        await SendAsync(theirs, new { type = "start", request = new { bodyId = Body, items = new[] { new { source = "catalog", id = Top } } } });
        await ReceiveUntilAsync(theirs, "tryon.succeeded");
        await SendAsync(mine, new { type = "resume", lastSeq = 0 });
        await SendAsync(mine, new { type = "ping", requestId = "after" });
        var seen = await ReceiveUntilAsync(mine, "pong");

        Assert.DoesNotContain(seen, message => message.GetProperty("type").GetString()!.StartsWith("tryon.", StringComparison.Ordinal));
        await SendAsync(mine, new { type = "cancel", tryonId = Guid.NewGuid() });
        Assert.Equal("not_found", (await ReceiveUntilAsync(mine, "error"))[^1].GetProperty("code").GetString());
    }

    [Fact]
    public async Task AClientOnOneInstanceSeesAJobThatAnotherInstanceRuns()
    {
        // A second instance over the same database and objects, with no workers: it only serves sockets.
        await using var socketsOnly = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon")
        {
            Settings =
            {
                ["ConnectionStrings:wearit-tryon"] = $"Filename={Path.Combine(_factory.DataRoot, "db", "wearit-tryon.db")};Connection=shared",
                ["WearIt:Storage:RootPath"] = Path.Combine(_factory.DataRoot, "objects"),
                ["WearIt:Tryon:Concurrency"] = "0",
            },
        };
        socketsOnly.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(OneOutfit()));
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}", socketsOnly);
        await SendAsync(socket, new { type = "resume", lastSeq = 0 });

        using var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.User(_user));
        using var accepted = await http.PostAsync("/api/v1/tryons", System.Net.Http.Json.JsonContent.Create(new { bodyId = Body, items = new[] { new { source = "catalog", id = Top } } }), Cancellation);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var events = await ReceiveUntilAsync(socket, "tryon.succeeded");

        Assert.Equal("tryon.queued", events[0].GetProperty("type").GetString());
        Assert.Contains(events, e => e.GetProperty("type").GetString() == "tryon.progress");
    }

    [Fact]
    public async Task WhenTheInstanceStopsAnOpenSocketIsClosedWith1001AndTheStopWaitsForIt()
    {
        // Disposed by the test itself mid-way; the second disposal (if a step before it fails) cleans up the host.
        await using var instance = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon");
        instance.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(OneOutfit()));
        var feed = instance.Services.GetRequiredService<TryonEventFeed>();
        using var socket = await ConnectAsync($"?access_token={TestTokens.User(_user)}", instance);
        await SendAsync(socket, new { type = "ping", requestId = "open" });
        await ReceiveUntilAsync(socket, "pong");

        // A deploy stops the instance while the socket is open.
        var stopping = instance.DisposeAsync().AsTask();
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, Cancellation);
        var stoppedBeforeTheClientAnswered = stopping.IsCompleted;
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", Cancellation);
        await stopping.WaitAsync(TimeSpan.FromSeconds(60), Cancellation);

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal((TryonSocket.ServerStopping, "server_stopping"), (socket.CloseStatus, socket.CloseStatusDescription));
        Assert.True(feed.IsStopping);
        // The stop waited for the socket to close (it held the database until then).
        Assert.False(stoppedBeforeTheClientAnswered);
    }

    private Task<WebSocket> ConnectAsync(string query) => ConnectAsync(query, _factory);

    private static async Task<WebSocket> ConnectAsync(string query, EmbeddedServiceFactory<TryonServiceAssembly> factory)
    {
        var client = factory.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "api/v1/tryons/ws" + query), Cancellation);
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, new JsonSerializerOptions(JsonSerializerDefaults.Web)), WebSocketMessageType.Text, true, Cancellation);

    private static async Task<List<JsonElement>> ReceiveUntilAsync(WebSocket socket, string type)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        return await SocketMessages.ReceiveUntilAsync(socket, limit.Token, type);
    }
}
