using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using SkiaSharp;
using WearIt.Tests.Support;

namespace WearIt.Tests.EndToEnd;

/// <summary>
/// The first version's mobile app against the gateway's <c>/mobile/v1</c>, booted by the AppHost: its calls in its
/// order, with its request shapes, reading every field it reads.
/// </summary>
public sealed class MobileAppTests(SharedAppHost appHost) : IDisposable
{
    // Each test (a new instance) has three minutes, the shared AppHost's boot included: a socket that never closes
    // fails the test rather than hanging the run.
    private readonly CancellationTokenSource _limit = Limit(TimeSpan.FromMinutes(3));

    private CancellationToken Cancellation => _limit.Token;

    public void Dispose() => _limit.Dispose();

    private static CancellationTokenSource Limit(TimeSpan time)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(time);
        return limit;
    }

    [Fact]
    public async Task TheAppSignsUpUploadsAPhotoAndAGarmentTriesItOnAndCleansUp()
    {
        var photo = TestPhotos.MessiOrSkip();
        using var limit = Limit(TimeSpan.FromMinutes(4));
        var token = limit.Token;
        var host = await appHost.StartedAsync(token);
        using var app = MobileClient(host);
        using var web = host.CreateHttpClient("gateway");
        var email = $"mobile-{Guid.NewGuid():N}@example.com";

        // Sign up with the onboarding answers; the address is confirmed with the mailed link (on the gateway), then the app logs in.
        var signup = await ReadAsync(await app.PostAsJsonAsync("auth/signup",
            new { email, password = "mobile password 1", first_name = "Maya", answers = new { gender = "female", age = 29, brand = "Zara" } }, token));
        Assert.False(string.IsNullOrWhiteSpace(signup.GetProperty("message").GetString()));
        var signupClaims = Claims(signup.GetProperty("token").GetString()!);
        Assert.Equal(24 * 3600, signupClaims.GetProperty("exp").GetInt64() - signupClaims.GetProperty("iat").GetInt64());
        var verification = await Mailbox.WaitForAsync(Path.Combine(host.DataRoot, "mail"), email, Mailbox.VerificationSubject, token);
        using (var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var opened = await noRedirects.GetAsync(Mailbox.LinkIn(verification), token))
        {
            Assert.Equal(host.Endpoint("gateway").Authority, Mailbox.LinkIn(verification)!.Authority);
            Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
            Assert.EndsWith("result=verified", opened.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var login = await ReadAsync(await app.PostAsJsonAsync("auth/login", new { email, password = "mobile password 1" }, token));
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());

        var profile = await ReadAsync(await app.GetAsync("user/profile", token));
        Assert.Equal(email, profile.GetProperty("email").GetString());
        Assert.Equal("Maya", profile.GetProperty("first_name").GetString());
        Assert.Equal("female", profile.GetProperty("answers").GetProperty("gender").GetString());
        Assert.Equal("29", profile.GetProperty("answers").GetProperty("age").GetString());
        Assert.Equal(20, profile.GetProperty("credits").GetInt32());
        var referralCode = profile.GetProperty("referral_code").GetString();
        Assert.Matches("^[A-Z0-9]{8}$", referralCode);
        Assert.Equal(referralCode, (await ReadAsync(await app.GetAsync("user/referral/code", token))).GetProperty("referral_code").GetString());

        // The photo: uploaded, then its check arrives on the body socket (opened after the upload answered).
        using var photoForm = new MultipartFormDataContent { { new ByteArrayContent(photo) { Headers = { ContentType = new("image/jpeg") } }, "image", "me.jpg" } };
        var uploaded = await ReadAsync(await app.PostAsync("body/upload", photoForm, token));
        Assert.True(uploaded.GetProperty("success").GetBoolean());
        using (var bodySocket = await ConnectAsync(host, "body/ws", login.GetProperty("token").GetString()!, token))
        {
            var ready = await ReceiveUntilAsync(bodySocket, message => message.GetProperty("status").GetString() is "ready" or "failed", token);
            Assert.Equal("body_preprocessing", ready.GetProperty("type").GetString());
            Assert.Equal(uploaded.GetProperty("body_id").GetString(), ready.GetProperty("body_id").GetString());
            Assert.Equal("ready", ready.GetProperty("status").GetString());
        }

        var body = await ReadAsync(await app.GetAsync("body/current", token));
        var bodyId = body.GetProperty("id").GetString()!;
        Assert.Equal(uploaded.GetProperty("body_id").GetString(), bodyId);
        Assert.Equal("ready", body.GetProperty("status").GetString());
        using var stored = SKBitmap.Decode(await DownloadAsync(body.GetProperty("image_url").GetString()!, host, token));
        foreach (var mask in new[] { "mask_upper", "mask_lower", "mask_dress" })
        {
            var png = await DownloadAsync(body.GetProperty(mask).GetString()!, host, token);
            Assert.Equal((stored.Width, stored.Height), PngSize(png));
        }

        // A garment of the app's own: a product shot of a top from the catalog, sent as the app sends it.
        using var tops = await web.GetAsync("/api/v1/catalog/products?category=tops&pageSize=1", token);
        // (Catalog images are public: unsigned URLs.)
        var productImage = await new HttpClient().GetByteArrayAsync((await ReadAsync(tops)).GetProperty("items")[0].GetProperty("images")[0].GetProperty("url").GetString(), token);
        using var garmentForm = new MultipartFormDataContent { { new ByteArrayContent(productImage) { Headers = { ContentType = new("image/png") } }, "file", "tee.png" } };
        var garment = await ReadAsync(await app.PostAsync("clothing/upload?category=tshirt&cloth_type=upper&name=Blue%20tee", garmentForm, token));
        var clothingId = garment.GetProperty("clothing_id").GetString()!;
        Assert.Equal("tshirt", garment.GetProperty("category").GetString());
        Assert.Equal("upper", garment.GetProperty("cloth_type").GetString());
        Assert.Equal("Blue tee", garment.GetProperty("name").GetString());
        Assert.True(garment.GetProperty("created_at").TryGetDateTime(out _));
        Assert.NotEmpty(await DownloadAsync(garment.GetProperty("image_url").GetString()!, host, token));
        Assert.NotEmpty(await DownloadAsync(garment.GetProperty("resized_url").GetString()!, host, token));
        var clothes = (await ReadAsync(await app.GetAsync("clothing", token))).GetProperty("clothes").EnumerateArray().ToList();
        var listed = Assert.Single(clothes);
        Assert.Equal(clothingId, listed.GetProperty("id").GetString());
        Assert.Equal("tshirt", listed.GetProperty("category").GetString());

        // The try-on: started over HTTP, its updates on the try-on socket, then the list of the body's try-ons.
        using var tryonSocket = await ConnectAsync(host, "tryon/ws", login.GetProperty("token").GetString()!, token);
        var started = await ReadAsync(await app.PostAsJsonAsync("tryon", new { body_id = bodyId, clothing_id = clothingId }, token));
        var tryonId = started.GetProperty("tryon_id").GetString()!;
        var update = await ReceiveUntilAsync(tryonSocket,
            message => message.GetProperty("tryon_id").GetString() == tryonId && message.GetProperty("status").GetString() is "ready" or "failed", token);
        Assert.Equal("tryon_update", update.GetProperty("type").GetString());
        Assert.Equal("ready", update.GetProperty("status").GetString());
        Assert.Equal(bodyId, update.GetProperty("body_id").GetString());
        Assert.Equal(clothingId, update.GetProperty("clothing_id").GetString());
        Assert.Equal(1, update.GetProperty("version").GetInt32());
        Assert.True(update.GetProperty("created_at").TryGetDateTime(out _));
        var output = await DownloadAsync(update.GetProperty("output_url").GetString()!, host, token);
        Assert.Equal(2, output[25]); // a PNG of colour type 2: RGB, the JPEG photo's three channels
        using (var result = SKBitmap.Decode(output))
        {
            Assert.Equal((stored.Width, stored.Height), (result.Width, result.Height));
        }

        var tryons = (await ReadAsync(await app.GetAsync($"tryon/body/{bodyId}", token))).GetProperty("tryons").EnumerateArray().ToList();
        var listedTryon = Assert.Single(tryons);
        Assert.Equal(tryonId, listedTryon.GetProperty("id").GetString());
        Assert.Equal(bodyId, listedTryon.GetProperty("body_id").GetString());
        Assert.Equal(clothingId, listedTryon.GetProperty("clothing_id").GetString());
        Assert.Equal("ready", listedTryon.GetProperty("status").GetString());
        Assert.Equal(1, listedTryon.GetProperty("version").GetInt32());
        Assert.NotEmpty(await DownloadAsync(listedTryon.GetProperty("output_url").GetString()!, host, token));

        var credits = await ReadAsync(await app.GetAsync("user/credits", token));
        Assert.Equal(19, credits.GetProperty("credits").GetInt32());
        Assert.True(credits.GetProperty("updated_at").TryGetDateTime(out _));

        // Another user of the app sees none of it and can delete none of it.
        using (var other = MobileClient(host))
        {
            var stranger = await ReadAsync(await other.PostAsJsonAsync("auth/signup",
                new { email = $"mobile-other-{Guid.NewGuid():N}@example.com", password = "other password 1", first_name = "Otto" }, token));
            other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.GetProperty("token").GetString());
            Assert.Empty((await ReadAsync(await other.GetAsync($"tryon/body/{bodyId}", token))).GetProperty("tryons").EnumerateArray());
            Assert.Empty((await ReadAsync(await other.GetAsync("clothing", token))).GetProperty("clothes").EnumerateArray());
            await (await other.DeleteAsync($"clothing/{clothingId}", token)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            await (await other.DeleteAsync($"body/{bodyId}", token)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        // Clean up as the app does: the garment, then the photo.
        await ReadAsync(await app.DeleteAsync($"clothing/{clothingId}", token));
        Assert.Empty((await ReadAsync(await app.GetAsync("clothing", token))).GetProperty("clothes").EnumerateArray());
        await ReadAsync(await app.DeleteAsync($"body/{bodyId}", token));
        var none = await (await app.GetAsync("body/current", token)).AssertProblemAsync(HttpStatusCode.NotFound, "no_body");
        Assert.False(string.IsNullOrWhiteSpace(none.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task AResetCodeIsCheckedWithoutBeingUsedUpAndTheResetEndsTheAppsToken()
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var app = MobileClient(host);
        var email = $"mobile-reset-{Guid.NewGuid():N}@example.com";
        var signup = await ReadAsync(await app.PostAsJsonAsync("auth/signup", new { email, password = "old password 1", first_name = "Rae" }, Cancellation));
        var oldToken = signup.GetProperty("token").GetString()!;

        // The app's bug: it sends no email at all.
        var empty = await (await app.PostAsJsonAsync("auth/forgot-password", new { }, Cancellation)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("email", empty.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        var asked = await ReadAsync(await app.PostAsJsonAsync("auth/forgot-password", new { email }, Cancellation));
        Assert.False(string.IsNullOrWhiteSpace(asked.GetProperty("message").GetString()));
        var code = Mailbox.CodeIn(await Mailbox.WaitForAsync(Path.Combine(host.DataRoot, "mail"), email, "Your WearIt password reset code", Cancellation));
        Assert.Matches("^[0-9]{6}$", code);
        var wrong = code == "123456" ? "654321" : "123456";

        var wrongCheck = await ReadAsync(await app.PostAsJsonAsync("auth/forgot-password/verify", new { email, code = wrong }, Cancellation));
        var firstCheck = await ReadAsync(await app.PostAsJsonAsync("auth/forgot-password/verify", new { email, code }, Cancellation));
        var secondCheck = await ReadAsync(await app.PostAsJsonAsync("auth/forgot-password/verify", new { email, code }, Cancellation));
        var reset = await ReadAsync(await app.PostAsJsonAsync("auth/reset-password", new { email, code, new_password = "new password 2" }, Cancellation));
        using var withOldToken = new HttpRequestMessage(HttpMethod.Get, "user/profile") { Headers = { Authorization = new("Bearer", oldToken) } };
        var ended = await (await app.SendAsync(withOldToken, Cancellation)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var oldPassword = await (await app.PostAsJsonAsync("auth/login", new { email, password = "old password 1" }, Cancellation)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var login = await ReadAsync(await app.PostAsJsonAsync("auth/login", new { email, password = "new password 2" }, Cancellation));

        Assert.False(wrongCheck.GetProperty("valid").GetBoolean());
        Assert.True(firstCheck.GetProperty("valid").GetBoolean());
        Assert.True(secondCheck.GetProperty("valid").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(reset.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(ended.GetProperty("detail").GetString()));
        Assert.Equal(JsonValueKind.String, oldPassword.GetProperty("detail").ValueKind);
        Assert.False(string.IsNullOrWhiteSpace(login.GetProperty("token").GetString()));
    }

    [Fact]
    public async Task LoggingOutEndsTheAppsLastingToken()
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var app = MobileClient(host);
        var email = $"mobile-out-{Guid.NewGuid():N}@example.com";
        var signup = await ReadAsync(await app.PostAsJsonAsync("auth/signup", new { email, password = "leaving password", first_name = "Lou" }, Cancellation));
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signup.GetProperty("token").GetString());
        await ReadAsync(await app.GetAsync("user/profile", Cancellation));

        await ReadAsync(await app.PostAsync("auth/logout", null, Cancellation));

        await (await app.GetAsync("user/profile", Cancellation)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var socket = await ConnectAsync(host, "tryon/ws", signup.GetProperty("token").GetString()!, Cancellation);
        Assert.Equal((WebSocketCloseStatus)4401, await ClosedWithAsync(socket, Cancellation));
    }

    [Fact]
    public async Task AUsersSixthBodySocketIsClosedWith4429UntilOneCloses()
    {
        var token = Cancellation;
        var host = await appHost.StartedAsync(token);
        using var app = MobileClient(host);
        var signup = await ReadAsync(await app.PostAsJsonAsync("auth/signup",
            new { email = $"mobile-sockets-{Guid.NewGuid():N}@example.com", password = "many sockets 1", first_name = "Sol" }, token));
        var bearer = signup.GetProperty("token").GetString()!;
        app.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        // A photo, so that each socket announces it once it holds its slot (the order sockets are let in is theirs to decide).
        using var photo = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(640, 960)) { Headers = { ContentType = new("image/jpeg") } }, "image", "me.jpg" } };
        await ReadAsync(await app.PostAsync("body/upload", photo, token));
        var open = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                open.Add(await ConnectAsync(host, "body/ws", bearer, token));
                Assert.Equal("body_preprocessing", (await SocketMessages.ReceiveAsync(open[^1], token)).GetProperty("type").GetString());
            }

            using var sixth = await ConnectAsync(host, "body/ws", bearer, token);
            Assert.Equal((WebSocketCloseStatus)4429, await ClosedWithAsync(sixth, token));

            // Once one closes (the handshake done), the next one is let in.
            await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, "", token);
            using var next = await ConnectAsync(host, "body/ws", bearer, token);
            Assert.Equal("body_preprocessing", (await SocketMessages.ReceiveAsync(next, token)).GetProperty("type").GetString());
        }
        finally
        {
            open.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task WhatTheAppCannotUseAnswersAProblemWithADetailSentence()
    {
        var host = await appHost.StartedAsync(Cancellation);
        using var app = MobileClient(host);

        using var malformed = new StringContent("{\"email\": ", Encoding.UTF8, "application/json");
        var broken = await (await app.PostAsync("auth/signup", malformed, Cancellation)).AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
        var explorer = await (await app.GetAsync("explorer/search-clothes?q=jeans", Cancellation)).AssertProblemAsync(HttpStatusCode.NotImplemented, "not_implemented");
        var unknown = await (await app.GetAsync("wardrobe/outfits", Cancellation)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var anonymous = await (await app.GetAsync("user/credits", Cancellation)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var category = await (await app.PostAsync("clothing/upload?category=socks&cloth_type=lower", new MultipartFormDataContent(), Cancellation))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        using var huge = new MultipartFormDataContent { { new ByteArrayContent(new byte[17 * 1024 * 1024]) { Headers = { ContentType = new("image/jpeg") } }, "image", "huge.jpg" } };
        // With Expect: 100-continue the gateway answers before the body is sent, as a phone's HTTP stack would see it.
        using var hugeUpload = new HttpRequestMessage(HttpMethod.Post, "body/upload") { Content = huge, Headers = { Authorization = new("Bearer", "not-a-token"), ExpectContinue = true } };
        var tooLarge = await (await app.SendAsync(hugeUpload, Cancellation)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        using var bodySocket = await ConnectAsync(host, "body/ws", "not-a-token", Cancellation);
        using var tryonSocket = await ConnectAsync(host, "tryon/ws", "not-a-token", Cancellation);

        foreach (var problem in new[] { broken, explorer, unknown, anonymous, category, tooLarge })
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }

        Assert.Contains("tshirt", category.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((WebSocketCloseStatus)4401, await ClosedWithAsync(bodySocket, Cancellation));
        Assert.Equal((WebSocketCloseStatus)4401, await ClosedWithAsync(tryonSocket, Cancellation));
    }

    /// <summary>The app's HTTP client: BASE_URL is the gateway's <c>/mobile/v1</c>.</summary>
    private static HttpClient MobileClient(EmbeddedAppHost host) =>
        new() { BaseAddress = new Uri(host.Endpoint("gateway"), "/mobile/v1/"), Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<ClientWebSocket> ConnectAsync(EmbeddedAppHost host, string path, string token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var gateway = host.Endpoint("gateway").ToString().Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/');
        await socket.ConnectAsync(new Uri($"{gateway}/mobile/v1/{path}?token={Uri.EscapeDataString(token)}"), cancellationToken);
        return socket;
    }

    private static async Task<JsonElement> ReceiveUntilAsync(WebSocket socket, Func<JsonElement, bool> wanted, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await SocketMessages.ReceiveAsync(socket, cancellationToken);
            if (wanted(message))
            {
                return message;
            }
        }
    }

    private static async Task<WebSocketCloseStatus?> ClosedWithAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        while ((await socket.ReceiveAsync(buffer, cancellationToken)).MessageType != WebSocketMessageType.Close)
        {
        }

        return socket.CloseStatus;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
    }

    /// <summary>Downloads a signed URL, checking it names the gateway and lives at least the app's hour (less a minute).</summary>
    private static async Task<byte[]> DownloadAsync(string url, EmbeddedAppHost host, CancellationToken cancellationToken)
    {
        var uri = new Uri(url);
        Assert.Equal(host.Endpoint("gateway").Authority, uri.Authority);
        Assert.True(QueryHelpers.ParseQuery(uri.Query).TryGetValue("expires", out var expires), $"{url} is not signed");
        Assert.True(long.Parse(expires!, System.Globalization.CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow.ToUnixTimeSeconds() >= 59 * 60, $"{url} expires too soon");

        using var client = new HttpClient();
        return await client.GetByteArrayAsync(uri, cancellationToken);
    }

    /// <summary>A PNG's size from its header.</summary>
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.AsSpan(1, 3).SequenceEqual("PNG"u8), "not a PNG");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    private static JsonElement Claims(string jwt) =>
        JsonSerializer.Deserialize<JsonElement>(WebEncoders.Base64UrlDecode(jwt.Split('.')[1]));
}
