using System.Net;
using System.Text;
using System.Text.Json;
using SkiaSharp;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>Every upload route shares one intake: these cases go through POST /bodies and POST /wardrobe.</summary>
public sealed class ImageIntakeTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task JpegPngAndWebPAreAccepted(string format)
    {
        var account = await api.SignupAsync();
        var bytes = format switch { "jpeg" => TestImages.Jpeg(), "png" => TestImages.Png(), _ => TestImages.WebP() };

        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, bytes, $"me.{format}", $"image/{format}");

        var body = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created);
        Assert.Equal("processing", body.GetProperty("status").GetString());
        Assert.Equal(640, body.GetProperty("image").GetProperty("width").GetInt32());
        Assert.Equal(480, body.GetProperty("image").GetProperty("height").GetInt32());
        Assert.Equal(2, (await api.StoredKeysAsync($"users/{account.Id}/bodies/")).Count(key => !key.Contains("/analysis/")));
    }

    [Fact]
    public async Task TheStoredOriginalAndThumbnailAreServedBySignedUrls()
    {
        var account = await api.SignupAsync();
        using var upload = await api.UploadAsync("/api/v1/bodies", account.AccessToken, TestImages.Jpeg(1200, 900));
        var image = (await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created)).GetProperty("image");

        using var original = await api.Http.GetAsync(image.GetProperty("url").GetString(), Cancellation);
        using var thumbnail = await api.Http.GetAsync(image.GetProperty("thumbnailUrl").GetString(), Cancellation);

        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        using var thumbnailBitmap = SKBitmap.Decode(await thumbnail.Content.ReadAsByteArrayAsync(Cancellation));
        Assert.Equal(320, Math.Max(thumbnailBitmap.Width, thumbnailBitmap.Height));
    }

    [Fact]
    public async Task LargePhotosAreScaledDownToTheBoundedSize()
    {
        var account = await api.SignupAsync();

        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, TestImages.Jpeg(3000, 2000));

        var image = (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("image");
        Assert.Equal((2048, 1365), (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
    }

    [Fact]
    public async Task ExifOrientationIsAppliedAndAllMetadataIncludingGpsIsGone()
    {
        var account = await api.SignupAsync();
        var upload = TestImages.JpegWithExif(600, 400, orientation: 6);
        Assert.Contains(TestImages.MetadataMarker, Encoding.ASCII.GetString(upload));

        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, upload);

        var image = (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("image");
        Assert.Equal((400, 600), (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
        foreach (var url in new[] { image.GetProperty("url").GetString(), image.GetProperty("thumbnailUrl").GetString() })
        {
            var stored = await api.Http.GetByteArrayAsync(url, Cancellation);
            var text = Encoding.ASCII.GetString(stored);
            Assert.DoesNotContain(TestImages.MetadataMarker, text);
            Assert.DoesNotContain("Exif", text);
            using var codec = SKCodec.Create(new MemoryStream(stored));
            Assert.Equal(SKEncodedOrigin.TopLeft, codec.EncodedOrigin);
        }
    }

    [Fact]
    public async Task RotationPutsTheTopLeftMarkWhereTheCameraMeantIt()
    {
        var account = await api.SignupAsync();

        // Orientation 6: the camera was turned 90° clockwise, so the stored top-left corner belongs on the top right.
        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, TestImages.JpegWithExif(600, 400, orientation: 6));

        var image = (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("image");
        using var bitmap = SKBitmap.Decode(await api.Http.GetByteArrayAsync(image.GetProperty("url").GetString(), Cancellation));
        Assert.True(IsBlue(bitmap.GetPixel(bitmap.Width - 10, 10)), "the marked corner should be top right");
        Assert.False(IsBlue(bitmap.GetPixel(10, 10)), "the top left should be background");
    }

    [Theory]
    [InlineData("corrupt", "image_invalid")]
    [InlineData("truncated", "image_invalid")]
    [InlineData("bomb", "image_too_many_pixels")]
    [InlineData("small", "image_too_small")]
    public async Task BadImagesAre400AndLeaveNothingBehind(string kind, string code)
    {
        var account = await api.SignupAsync();
        var bytes = kind switch
        {
            "corrupt" => TestImages.Corrupt(),
            "truncated" => TestImages.Truncated(),
            "bomb" => TestImages.PngBomb(),
            _ => TestImages.Jpeg(200, 200),
        };

        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, bytes);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await AssertNothingStoredAsync(account);
    }

    [Fact]
    public async Task AGifNamedJpgIsUnsupported()
    {
        var account = await api.SignupAsync();

        using var response = await api.UploadAsync("/api/v1/wardrobe", account.AccessToken, TestImages.Gif(), "shirt.jpg", "image/jpeg",
            new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper" });

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "image_unsupported_type");
        await AssertNothingStoredAsync(account);
    }

    [Fact]
    public async Task AMissingFileIsAFieldError()
    {
        var account = await api.SignupAsync();
        using var form = new MultipartFormDataContent { { new StringContent("tops"), "category" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/bodies") { Content = form };
        request.Headers.Authorization = new("Bearer", account.AccessToken);

        using var response = await api.Http.SendAsync(request, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("image", out _));
    }

    private async Task AssertNothingStoredAsync(TestAccount account)
    {
        Assert.Empty(await api.StoredKeysAsync($"users/{account.Id}/"));
        using var bodies = await api.SendAsync(HttpMethod.Get, "/api/v1/bodies", account.AccessToken);
        using var wardrobe = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe", account.AccessToken);
        Assert.Empty((await ApiServiceFixture.ReadAsync(bodies, HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await ApiServiceFixture.ReadAsync(wardrobe, HttpStatusCode.OK)).EnumerateArray());
    }

    private static bool IsBlue(SKColor color) => color.Blue > 180 && color.Red < 150;
}

/// <summary>The upload size limit, set low so a test image can exceed it.</summary>
public sealed class ImageSizeLimitTests(ImageSizeLimitTests.SmallLimitFixture api) : IClassFixture<ImageSizeLimitTests.SmallLimitFixture>
{
    public sealed class SmallLimitFixture() : ApiServiceFixture(new EmbeddedServiceFactory<WearIt.ApiService.ApiServiceAssembly>("wearit")
    {
        Settings = { ["WearIt:Images:MaxUploadBytes"] = "100000" },
    });

    [Fact]
    public async Task AnImageOverTheLimitIs413AndNothingIsStored()
    {
        var account = await api.SignupAsync();
        var bytes = TestImages.NoisyJpeg(500, 500);
        Assert.True(bytes.Length > 100_000);

        using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, bytes);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Empty(await api.StoredKeysAsync($"users/{account.Id}/"));
    }
}
