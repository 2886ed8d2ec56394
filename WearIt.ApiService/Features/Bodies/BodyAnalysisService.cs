using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>
/// Gets a body photo analysed (by TryonService) and keeps the outcome with the body: the masks under the body's own
/// prefix, the rest in its document. Each attempt writes under keys of its own, so an attempt that loses (the body was
/// deleted meanwhile, or another instance finished first) removes exactly what it wrote and nothing else.
/// </summary>
public sealed partial class BodyAnalysisService(IBodyRepository bodies, IBodyAnalysisClient analysis, IObjectStore objects, ILogger<BodyAnalysisService> logger)
{
    /// <summary>Whether the body still needs its analysis: being processed, or from before analyses existed.</summary>
    public static bool Awaits(Body body) => body.Status == BodyStatus.Processing || (body.Status == BodyStatus.Ready && body.Analysis is null);

    public async Task AnalyseAsync(Body body, CancellationToken cancellationToken)
    {
        var outcome = await analysis.AnalyseAsync(body.UserId, body.Id, body.Image.Key, cancellationToken);
        if (outcome is not { Status: BodyStatus.Ready, Analysis: { } found, Masks: { } masks })
        {
            var recorded = await bodies.CompleteAnalysisAsync(body.UserId, body.Id, BodyStatus.Rejected, outcome.Code ?? "body_rejected",
                outcome.Message ?? "This photo cannot be used for a try-on.", null, cancellationToken);
            LogOutcome(logger, body.Id, body.UserId, BodyStatus.Rejected, outcome.Code, recorded);
            return;
        }

        var prefix = $"users/{body.UserId}/bodies/{body.Id}/analysis/{Guid.CreateVersion7():N}";
        found.PersonMaskKey = $"{prefix}/person.png";
        found.UpperRegionKey = $"{prefix}/upper.png";
        found.LowerRegionKey = $"{prefix}/lower.png";
        found.FullRegionKey = $"{prefix}/full.png";
        var written = false;
        try
        {
            foreach (var (key, png) in found.Keys.Zip([masks.Person, masks.Upper, masks.Lower, masks.Full]))
            {
                await objects.PutAsync(key, new MemoryStream(png, writable: false), "image/png", cancellationToken);
            }

            written = await bodies.CompleteAnalysisAsync(body.UserId, body.Id, BodyStatus.Ready, null, null, found, cancellationToken);
            LogOutcome(logger, body.Id, body.UserId, BodyStatus.Ready, null, written);
        }
        finally
        {
            if (!written)
            {
                await objects.DeleteByPrefixAsync(prefix + "/", CancellationToken.None);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Body {BodyId} of user {UserId} analysed: {Status} {Code} (recorded: {Recorded})")]
    private static partial void LogOutcome(ILogger logger, Guid bodyId, Guid userId, string status, string? code, bool recorded);
}
