using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.EndToEnd;

/// <summary>The gateway in front of the AppHost's services: one origin for the web app, the API, the socket and stored files.</summary>
public sealed class GatewayTests(SharedAppHost appHost)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheWebAppAndItsConfigurationAreOnTheGatewaysOrigin()
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var gateway = host.CreateHttpClient("gateway");
        var origin = host.Endpoint("gateway").GetLeftPart(UriPartial.Authority);

        using var page = await gateway.GetAsync("/", Cancellation);
        var config = await ApiServiceFixture.ReadAsync(await gateway.GetAsync("/api/v1/config", Cancellation), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>", await page.Content.ReadAsStringAsync(Cancellation), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(origin, new Uri(config.GetProperty("tryonBaseUrl").GetString()!).GetLeftPart(UriPartial.Authority));
        Assert.Equal(origin.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/v1/tryons/ws", config.GetProperty("tryonWebSocketUrl").GetString());
        Assert.Contains(origin, page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/internal/v1/users/00000000-0000-0000-0000-000000000001/credits/spends/job")]
    [InlineData("/internal/v1/tryons/users/00000000-0000-0000-0000-000000000001")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/scalar/v1")]
    public async Task TheServicesPrivateRoutesAreNotPublic(string path)
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var gateway = host.CreateHttpClient("gateway");

        using var response = await gateway.GetAsync(path, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AUserSignsUpUploadsAPhotoAndTalksOverTheTryonSocketAllThroughTheGateway()
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var gateway = host.CreateHttpClient("gateway");
        var signup = await Mailbox.SignUpVerifiedAsync(gateway, Path.Combine(host.DataRoot, "mail"), $"gw-{Guid.NewGuid():N}@example.com", "gateway password", "Gail", Cancellation);
        var accessToken = signup.GetProperty("tokens").GetProperty("access_token").GetString()!;
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);

        // A photo stored through the gateway comes back under a URL on the gateway's origin.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(640, 960)) { Headers = { ContentType = new("image/jpeg") } }, "image", "me.jpg" } };
        using var upload = await gateway.PostAsync("/api/v1/bodies", form, Cancellation);
        var body = await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created);
        var imageUrl = new Uri(body.GetProperty("image").GetProperty("url").GetString()!);
        using var image = await new HttpClient().GetAsync(imageUrl, Cancellation);

        // The try-on socket through the gateway: the web app's origin is let in, and it answers.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", host.Endpoint("gateway").GetLeftPart(UriPartial.Authority));
        var wsBase = host.Endpoint("gateway").ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/');
        await socket.ConnectAsync(new Uri($"{wsBase}/api/v1/tryons/ws?access_token={accessToken}"), Cancellation);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "ping", requestId = "gw" }), WebSocketMessageType.Text, true, Cancellation);
        var pong = await SocketMessages.ReceiveUntilAsync(socket, Cancellation, "pong");
        using var tryons = await gateway.GetAsync("/api/v1/tryons", Cancellation);

        Assert.Equal(host.Endpoint("gateway").Authority, imageUrl.Authority);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("gw", pong[^1].GetProperty("requestId").GetString());
        Assert.Equal(HttpStatusCode.OK, tryons.StatusCode);
    }
}
