using System.Collections.Concurrent;
using SkiaSharp;
using WearIt.ApiService.Features.Bodies;

namespace WearIt.Tests.Support;

/// <summary>
/// Stands in for TryonService's analysis endpoint: answers <c>ready</c> (an upper-body person) unless told to reject,
/// counts the calls per body, and can hold its answer until the test lets it go.
/// </summary>
public sealed class ScriptedBodyAnalysis : IBodyAnalysisClient
{
    public ConcurrentDictionary<Guid, int> Calls { get; } = new();

    /// <summary>When set, every analysis rejects the photo with this code.</summary>
    public volatile string? RejectWith;

    /// <summary>When set, answers wait for it: the test completes it to let them through.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completed each time an analysis has been asked for (before any hold).</summary>
    public TaskCompletionSource Asked { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<BodyAnalysisOutcome> AnalyseAsync(Guid userId, Guid bodyId, string imageKey, CancellationToken cancellationToken)
    {
        Calls.AddOrUpdate(bodyId, 1, (_, count) => count + 1);
        var asked = Asked;
        Asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        asked.TrySetResult();
        if (Hold is { } hold)
        {
            await hold.Task.WaitAsync(cancellationToken);
        }

        if (RejectWith is { } code)
        {
            return new BodyAnalysisOutcome("rejected", code, $"Rejected by the test double ({code}).", null, null);
        }

        var mask = Mask();
        var analysis = new BodyAnalysis
        {
            Width = 64,
            Height = 64,
            PoseFlag = 1,
            Face = [24, 4, 40, 20],
            Landmarks = new float[33 * 4],
            Wears = ["upper"],
        };
        return new BodyAnalysisOutcome("ready", null, null, analysis, new BodyAnalysisMasks(mask, mask, mask, mask));
    }

    private static byte[] Mask()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(64, 64, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}

/// <summary>Stands in for TryonService's garment check: every garment can be read, unless told to reject.</summary>
public sealed class ScriptedGarmentCheck : WearIt.ApiService.Features.Wardrobe.IGarmentCheckClient
{
    public volatile string? RejectWith;

    public Task<WearIt.ApiService.Features.Wardrobe.GarmentCheck> CheckAsync(string imageKey, string clothType, CancellationToken cancellationToken) =>
        Task.FromResult(RejectWith is { } code
            ? new WearIt.ApiService.Features.Wardrobe.GarmentCheck("rejected", code, "No garment could be made out in this image.", false, 0)
            : new WearIt.ApiService.Features.Wardrobe.GarmentCheck("ready", null, null, false, 2));
}
