using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;
using WearIt.TryonService.Engine.Vision;
using WearIt.TryonService.Features.BodyAnalysis;

namespace WearIt.Tests.Tryon;

/// <summary>TryonService's internal analysis of a stored body photo, as ApiService calls it.</summary>
public sealed class BodyAnalysisEndpointTests : TryonInternalApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _body = Guid.NewGuid();

    private string Key => $"users/{_user}/bodies/{_body}/original.png";

    [Fact]
    public async Task TheAstronautIsReadyForTopsOnlyWithHerMasks()
    {
        await StoreAsync(TestPhotos.AstronautOrSkip());

        var response = await AnalyseAsync(Key);

        Assert.Equal("ready", response.Status);
        var analysis = Assert.IsType<BodyAnalysisSnapshot>(response.Analysis);
        Assert.Equal(["upper"], analysis.Wears);
        Assert.Equal((512, 512), (analysis.Width, analysis.Height));
        var masks = Assert.IsType<BodyAnalysisMasks>(response.Masks);
        var upper = MaskImages.Decode(masks.Upper, analysis.Width, analysis.Height);
        var person = MaskImages.Decode(masks.Person, analysis.Width, analysis.Height);
        Assert.InRange(upper.Count(value => value != 0), 0.1 * upper.Length, 0.6 * upper.Length);
        Assert.All(Enumerable.Range(0, upper.Length).Where(i => upper[i] != 0), i => Assert.True(person[i] >= 128, "the upper region lies on the person"));
        var restored = analysis.ToPersonAnalysis(person, upper, upper, upper);
        Assert.Equal(33, restored.Landmarks.Count);
    }

    [Fact]
    public async Task APhotoWithoutAPersonIsRejectedWithItsReason()
    {
        await StoreAsync(TestImages.Png(640, 480));

        var response = await AnalyseAsync(Key);

        Assert.Equal(("rejected", "no_person_detected"), (response.Status, response.Code));
        Assert.Null(response.Masks);
    }

    [Fact]
    public async Task AKeyOutsideTheBodyOrAUserTokenIsRefused()
    {
        using var foreign = await Http.PostAsJsonAsync($"/internal/v1/users/{_user}/bodies/{_body}/analysis", new { imageKey = $"users/{Guid.NewGuid()}/bodies/{_body}/original.png" }, Cancellation);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/internal/v1/users/{_user}/bodies/{_body}/analysis") { Content = JsonContent.Create(new { imageKey = Key }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(_user));
        using var asUser = await Http.SendAsync(request, Cancellation);
        using var missing = await Http.PostAsJsonAsync($"/internal/v1/users/{_user}/bodies/{_body}/analysis", new { imageKey = Key }, Cancellation);

        await foreign.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(asUser.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"a user's token got {(int)asUser.StatusCode}");
        await missing.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    private Task StoreAsync(byte[] photo) => StoreAsync(Key, photo);

    private async Task<BodyAnalysisResponse> AnalyseAsync(string key)
    {
        using var response = await Http.PostAsJsonAsync($"/internal/v1/users/{_user}/bodies/{_body}/analysis", new { imageKey = key }, Cancellation);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<BodyAnalysisResponse>(Json, Cancellation))!;
    }
}
