using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ApiService;
using WearIt.ServiceDefaults.Errors;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Abuse;

/// <summary>Per-user limits on uploads (ApiService) and on try-on starts and sockets (TryonService).</summary>
public sealed class UploadLimitTests(UploadLimitTests.Fixture api) : IClassFixture<UploadLimitTests.Fixture>
{
    public sealed class Fixture() : ApiServiceFixture(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit")
    {
        Settings = { ["WearIt:Images:UploadsPerMinute"] = "3" },
    });

    [Fact]
    public async Task AUserPastTheUploadLimitGets429AndAnotherUserDoesNot()
    {
        var greedy = await api.SignupAsync();
        var other = await api.SignupAsync();
        for (var upload = 0; upload < 3; upload++)
        {
            using var allowed = await api.UploadAsync("/api/v1/bodies", greedy.AccessToken, TestImages.Jpeg());
            Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        }

        using var limited = await api.UploadAsync("/api/v1/wardrobe", greedy.AccessToken, TestImages.Jpeg(), fields: new Dictionary<string, string> { ["category"] = "tops" });
        using var others = await api.UploadAsync("/api/v1/bodies", other.AccessToken, TestImages.Jpeg());

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.Created, others.StatusCode);
        using var bodies = await api.SendAsync(HttpMethod.Get, "/api/v1/bodies", greedy.AccessToken);
        Assert.Equal(3, (await ApiServiceFixture.ReadAsync(bodies, HttpStatusCode.OK)).GetArrayLength());
    }
}

public sealed class TryonLimitTests : IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon")
    {
        Settings = { ["WearIt:Tryon:MaxSocketsPerUser"] = "2", ["WearIt:Tryon:MaxTryonsPerMinute"] = "2" },
    };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(new FakeApiService()));
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task AThirdSocketOfOneUserIsClosedWith4429UntilOneCloses()
    {
        var user = Guid.NewGuid();
        using var first = await ConnectAsync(user);
        using var second = await ConnectAsync(user);
        using var stranger = await ConnectAsync(Guid.NewGuid());

        using var third = await ConnectAsync(user);
        var refused = await third.ReceiveAsync(new byte[256], Cancellation);
        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", Cancellation);
        using var afterOneClosed = await ConnectAsync(user);

        Assert.Equal(WebSocketMessageType.Close, refused.MessageType);
        Assert.Equal(TryonSocket.TooManySockets, third.CloseStatus);
        Assert.Equal("too_many_sockets", third.CloseStatusDescription);
        Assert.Equal(WebSocketState.Open, second.State);
        Assert.Equal(WebSocketState.Open, stranger.State);
        await SendAsync(afterOneClosed, new { type = "resume", lastSeq = 0 });
        await SendAsync(afterOneClosed, new { type = "nonsense" });
        var answer = await SocketMessages.ReceiveAsync(afterOneClosed, Cancellation);
        Assert.Equal("bad_message", answer.GetProperty("code").GetString());
    }

    [Fact]
    public async Task StartsPastTheLimitAre429OverHttpAndAnErrorOnTheSocketWhichStaysOpen()
    {
        var user = Guid.NewGuid();
        using var http = _factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(user));
        var request = new { bodyId = Guid.NewGuid(), items = new[] { new { source = "catalog", id = Guid.NewGuid() } } };
        for (var start = 0; start < 2; start++)
        {
            using var allowed = await http.PostAsJsonAsync("/api/v1/tryons", request, Cancellation);
            await allowed.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using var limited = await http.PostAsJsonAsync("/api/v1/tryons", request, Cancellation);
        using var socket = await ConnectAsync(user);
        await SendAsync(socket, new { type = "start", requestId = "over", request });
        var error = await SocketMessages.ReceiveAsync(socket, Cancellation);
        using var otherUser = _factory.CreateClient();
        otherUser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(Guid.NewGuid()));
        using var others = await otherUser.PostAsJsonAsync("/api/v1/tryons", request, Cancellation);

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "tryon_rate_limited");
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal(("error", "over", "tryon_rate_limited"),
            (error.GetProperty("type").GetString(), error.GetProperty("requestId").GetString(), error.GetProperty("code").GetString()));
        Assert.Equal(WebSocketState.Open, socket.State);
        await others.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    private async Task<WebSocket> ConnectAsync(Guid user)
    {
        var client = _factory.Server.CreateWebSocketClient();
        return await client.ConnectAsync(new Uri(_factory.Server.BaseAddress, $"api/v1/tryons/ws?access_token={TestTokens.User(user)}"), Cancellation);
    }

    private static Task SendAsync(WebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, new JsonSerializerOptions(JsonSerializerDefaults.Web)), WebSocketMessageType.Text, true, Cancellation);
}
