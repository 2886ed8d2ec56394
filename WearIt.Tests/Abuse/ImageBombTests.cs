using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Imaging;
using WearIt.Tests.Support;

namespace WearIt.Tests.Abuse;

/// <summary>
/// Decompression bombs: small files that decode huge. Six at once are each stored or refused with 503 busy (never a
/// 500), no more than the configured number decode at the same time, and a huge JPEG is decoded at the size it is kept.
/// </summary>
public sealed class ImageBombTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    // 6000 x 6000 of one colour: about 110 KiB as a PNG, 144 MB decoded.
    private static readonly Lazy<byte[]> Bomb = new(() =>
    {
        using var bitmap = new SKBitmap(6000, 6000);
        bitmap.Erase(SKColors.Teal);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    });

    [Fact]
    public async Task SixConcurrentBombsAreStoredOrRefusedBusyWithFewDecodesAtOnce()
    {
        var account = await api.SignupAsync();
        Assert.True(Bomb.Value.Length < 200 * 1024, $"the bomb is {Bomb.Value.Length} bytes");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var response = await api.UploadAsync("/api/v1/bodies", account.AccessToken, Bomb.Value, "bomb.png", "image/png");
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.All(responses, response => Assert.True(
            response.StatusCode == HttpStatusCode.Created || (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.RetryAfter is not null && response.Body.Contains("\"busy\"")),
            $"{(int)response.StatusCode}: {response.Body}"));
        Assert.Contains(responses, response => response.StatusCode == HttpStatusCode.Created);
        var gate = api.Factory.Services.GetRequiredService<ImageDecodeGate>();
        Assert.InRange(gate.MostRunning, 1, 2);
    }

    [Fact]
    public void AHugeJpegIsDecodedAtTheSizeItIsKeptNotInFull()
    {
        using var huge = new SKBitmap(6000, 4000);
        huge.Erase(SKColors.Coral);
        using var image = SKImage.FromBitmap(huge);
        var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 80).ToArray();

        using var decoded = ImageCheck.DecodeChecked(jpeg, ImageLimits.Uploads, atLeastLongSide: 2048);
        using var full = ImageCheck.DecodeChecked(jpeg, ImageLimits.Uploads);

        Assert.InRange(Math.Max(decoded.Width, decoded.Height), 2048, 3000);
        Assert.Equal((6000, 4000), (full.Width, full.Height));
    }
}
