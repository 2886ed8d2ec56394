using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using SkiaSharp;
using WearIt.Tests.Support;

namespace WearIt.Tests.EndToEnd;

/// <summary>
/// The whole product in embedded mode: sign up, upload a real full-body photo (messi5.jpg), try a seeded top and
/// bottom on over the WebSocket, and get a result image; a credit is spent.
/// </summary>
public sealed class EmbeddedTryonTests(SharedAppHost appHost)
{
    [Fact]
    public async Task ASignedUpUserTriesOnAnOutfitOverTheWebSocket()
    {
        var photo = TestPhotos.MessiOrSkip();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(4));
        var token = limit.Token;
        var host = await appHost.StartedAsync(token);
        var app = host.App;
        using var api = host.CreateHttpClient("apiservice");
        // Sign up and upload the photo.
        var signup = await Mailbox.SignUpVerifiedAsync(api, Path.Combine(host.DataRoot, "mail"), $"e2e-{Guid.NewGuid():N}@example.com", "end to end password", "Eileen", token);
        var accessToken = signup.GetProperty("tokens").GetProperty("access_token").GetString()!;
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(photo) { Headers = { ContentType = new("image/jpeg") } }, "image", "messi5.jpg" } };
        using var upload = await api.PostAsync("/api/v1/bodies", form, token);
        var uploaded = await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created);
        var bodyId = uploaded.GetProperty("id").GetGuid();
        Assert.Equal("processing", uploaded.GetProperty("status").GetString());
        var checkedBody = await ApiServiceFixture.WaitForBodyCheckedAsync(api, bodyId, token);
        Assert.Equal("ready", checkedBody.GetProperty("status").GetString());
        Assert.Equal(["upper", "lower", "dress"], checkedBody.GetProperty("wears").EnumerateArray().Select(item => item.GetString()));
        var storedBody = await new HttpClient().GetByteArrayAsync(uploaded.GetProperty("image").GetProperty("url").GetString(), token);
        using var tops = await api.GetAsync("/api/v1/catalog/products?category=tops&pageSize=1", token);
        var topId = (await ApiServiceFixture.ReadAsync(tops, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();
        using var bottoms = await api.GetAsync("/api/v1/catalog/products?category=bottoms&pageSize=1", token);
        var bottomId = (await ApiServiceFixture.ReadAsync(bottoms, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();

        // Act: start the try-on over the WebSocket and read events until it ends.
        var tryon = app.GetEndpoint("tryonservice", "http");
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{tryon.Authority}/api/v1/tryons/ws?access_token={accessToken}"), token);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "start", request = new { bodyId, items = new[] { new { source = "catalog", id = topId }, new { source = "catalog", id = bottomId } }, mode = "fast" } }),
            WebSocketMessageType.Text, true, token);
        var messages = await SocketMessages.ReceiveUntilAsync(socket, token, "tryon.succeeded", "tryon.failed", "tryon.canceled", "error");
        var final = messages[^1];

        // Assert
        Assert.Equal("tryon.succeeded", final.GetProperty("type").GetString());
        using var result = await new HttpClient().GetAsync(final.GetProperty("resultUrl").GetString(), token);
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        using var bitmap = SKBitmap.Decode(await result.Content.ReadAsByteArrayAsync(token));
        using var body = SKBitmap.Decode(storedBody);
        Assert.Equal((body.Width, body.Height), (bitmap.Width, bitmap.Height));
        Assert.Equal(body.GetPixel(20, 20), bitmap.GetPixel(20, 20)); // the crowd behind is the stored photo's
        Assert.Equal(body.GetPixel(240, 100), bitmap.GetPixel(240, 100)); // so is the face
        Assert.NotEqual(body.GetPixel(252, 170), bitmap.GetPixel(252, 170)); // the chest wears the top
        Assert.NotEqual(body.GetPixel(320, 258), bitmap.GetPixel(320, 258)); // the thigh is dressed
        using var credits = await api.GetAsync("/api/v1/users/me/credits", token);
        Assert.Equal(19, (await ApiServiceFixture.ReadAsync(credits, HttpStatusCode.OK)).GetProperty("balance").GetInt32());
    }
}
