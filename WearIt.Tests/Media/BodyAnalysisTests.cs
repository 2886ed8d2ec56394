using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ApiService.Features.Bodies;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>Body photos are checked once, after upload, by TryonService; the outcome stays with the body.</summary>
public sealed class BodyAnalysisTests : IClassFixture<ApiServiceFixture>
{
    private readonly ApiServiceFixture _api;

    public BodyAnalysisTests(ApiServiceFixture api)
    {
        _api = api;
        _api.Analysis.RejectWith = null;
        _api.Analysis.Hold = null;
    }

    [Fact]
    public async Task AnUploadedPhotoIsProcessingThenReadyWithWhatItCanWearAndItsMasksStored()
    {
        var user = await _api.SignupAsync();

        using var upload = await _api.UploadAsync("/api/v1/bodies", user.AccessToken, TestImages.Jpeg());
        var uploaded = await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created);
        var id = uploaded.GetProperty("id").GetGuid();
        var checkedBody = await _api.WaitForBodyCheckedAsync(user, id);

        Assert.Equal("processing", uploaded.GetProperty("status").GetString());
        Assert.Equal("ready", checkedBody.GetProperty("status").GetString());
        Assert.Equal(["upper"], checkedBody.GetProperty("wears").EnumerateArray().Select(item => item.GetString()));
        var masks = await _api.StoredKeysAsync($"users/{user.Id}/bodies/{id}/analysis/");
        Assert.Equal(["full.png", "lower.png", "person.png", "upper.png"], masks.Select(key => key[(key.LastIndexOf('/') + 1)..]).Order());
        Assert.Equal(1, _api.Analysis.Calls[id]);
    }

    [Fact]
    public async Task ARejectedPhotoSaysWhyAndKeepsNoAnalysis()
    {
        var user = await _api.SignupAsync();
        _api.Analysis.RejectWith = "person_not_facing";

        using var upload = await _api.UploadAsync("/api/v1/bodies", user.AccessToken, TestImages.Jpeg());
        var id = (await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var checkedBody = await _api.WaitForBodyCheckedAsync(user, id);

        Assert.Equal("rejected", checkedBody.GetProperty("status").GetString());
        Assert.Equal("person_not_facing", checkedBody.GetProperty("rejection").GetProperty("code").GetString());
        Assert.Empty(checkedBody.GetProperty("wears").EnumerateArray());
        Assert.Empty(await _api.StoredKeysAsync($"users/{user.Id}/bodies/{id}/analysis/"));
    }

    [Fact]
    public async Task APhotoDeletedWhileItIsAnalysedLeavesNothingBehind()
    {
        var user = await _api.SignupAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _api.Analysis.Hold = hold;
        var asked = _api.Analysis.Asked.Task;

        using var upload = await _api.UploadAsync("/api/v1/bodies", user.AccessToken, TestImages.Jpeg());
        var id = (await ApiServiceFixture.ReadAsync(upload, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await asked.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        using (var deleted = await _api.SendAsync(HttpMethod.Delete, $"/api/v1/bodies/{id}", user.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Let the analysis answer, then wait until the worker has dealt with it: the next upload's analysis is asked for
        // only after this one is finished (one at a time).
        _api.Analysis.Hold = null;
        var next = _api.Analysis.Asked.Task;
        hold.SetResult();
        using var another = await _api.UploadAsync("/api/v1/bodies", user.AccessToken, TestImages.Jpeg());
        await next.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Empty(await _api.StoredKeysAsync($"users/{user.Id}/bodies/{id}/"));
        using var gone = await _api.SendAsync(HttpMethod.Get, $"/api/v1/bodies/{id}", user.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task APhotoFromBeforeAnalysesIsAnalysedOnFirstUseAndNeverAgain()
    {
        var user = await _api.SignupAsync();
        var id = Guid.CreateVersion7();
        await using (var scope = _api.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IBodyRepository>().InsertAsync(new Body
            {
                Id = id, UserId = user.Id, Status = BodyStatus.Ready, Image = new() { Key = $"users/{user.Id}/bodies/{id}/original.jpg", ContentType = "image/jpeg", Width = 64, Height = 64 },
                CreatedAt = DateTime.UtcNow,
            }, TestContext.Current.CancellationToken);
        }

        var service = _api.ServiceToken();
        using var first = await _api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{user.Id}/bodies/{id}", service);
        using var second = await _api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{user.Id}/bodies/{id}", service);

        var analysed = await ApiServiceFixture.ReadAsync(first, HttpStatusCode.OK);
        await ApiServiceFixture.ReadAsync(second, HttpStatusCode.OK);
        Assert.StartsWith($"users/{user.Id}/bodies/{id}/analysis/", analysed.GetProperty("analysis").GetProperty("personMaskKey").GetString());
        Assert.Equal(1, _api.Analysis.Calls[id]);
    }
}
