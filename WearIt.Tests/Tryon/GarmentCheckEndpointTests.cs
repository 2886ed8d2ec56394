using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.Tests.Support;
using WearIt.TryonService.Features.GarmentAnalysis;

namespace WearIt.Tests.Tryon;

/// <summary>TryonService reads a garment once, when it is added: drawn, photographed, worn, or not a garment at all.</summary>
public sealed class GarmentCheckEndpointTests : TryonInternalApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task ADrawnTeeIsReadWithBothSleeves()
    {
        var check = await CheckAsync(GarmentArtist.Draw(GarmentKind.Tee, SKColors.Teal), "upper");

        Assert.Equal(("ready", false, 2), (check.Status, check.Worn, check.Sleeves));
    }

    [Fact]
    public async Task TheFootballShirtIsCutOutOfThePlayerWearingIt()
    {
        var check = await CheckAsync(TestPhotos.MessiOrSkip(), "upper");

        Assert.Equal(("ready", true, 2), (check.Status, check.Worn, check.Sleeves));
    }

    [Fact]
    public async Task AnImageWithNoGarmentIsRefused()
    {
        using var blank = new SKBitmap(640, 480);
        blank.Erase(new SKColor(245, 245, 240));
        using var image = SKImage.FromBitmap(blank);

        var check = await CheckAsync(image.Encode(SKEncodedImageFormat.Png, 100).ToArray(), "upper");

        Assert.Equal(("rejected", "garment_not_found"), (check.Status, check.Code));
    }

    [Fact]
    public async Task TrousersCannotBeCutOutOfAPhotoCutAtTheWaist()
    {
        var check = await CheckAsync(TestPhotos.AstronautOrSkip(), "lower");

        Assert.Equal(("rejected", "garment_not_found"), (check.Status, check.Code));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"imageKey\": 5, \"clothType\": \"upper\"}")]
    [InlineData("{\"imageKey\": \"users/x/garments/y/original.png\", \"clothType\": \"hat\"}")]
    public async Task AMalformedCheckIsAProblemNotAnError(string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync("/internal/v1/garments/analysis", content, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<GarmentCheckResponse> CheckAsync(byte[] image, string clothType)
    {
        var key = $"users/{Guid.NewGuid()}/garments/{Guid.NewGuid()}/original.png";
        await StoreAsync(key, image);
        using var response = await Http.PostAsJsonAsync("/internal/v1/garments/analysis", new { imageKey = key, clothType }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<GarmentCheckResponse>(Json, Cancellation))!;
    }
}
