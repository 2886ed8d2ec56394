using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>
/// The user's body photos: upload (then analysed in the background: <c>processing</c>, then <c>ready</c> or
/// <c>rejected</c>), list, choose the default, delete (with their stored objects and analysis).
/// </summary>
public sealed class BodiesService(
    IBodyRepository bodies, ImageIntake intake, ImageStorage images, BodyAnalysisQueue analysisQueue, BodyAnalysisService analysis, IObjectStore objects, TimeProvider time)
{
    public async Task<BodyResponse> UploadAsync(Guid userId, IFormFile? file, CancellationToken cancellationToken)
    {
        var prepared = await intake.PrepareAsync(file, cancellationToken);
        var id = Guid.CreateVersion7();
        var body = await images.StoreThenRecordAsync($"users/{userId}/bodies/{id}", prepared, async stored =>
        {
            var isFirst = (await bodies.ListAsync(userId, cancellationToken)).Count == 0;
            var added = new Body { Id = id, UserId = userId, Status = BodyStatus.Processing, IsDefault = isFirst, Image = stored, CreatedAt = time.GetUtcNow().UtcDateTime };
            await bodies.InsertAsync(added, cancellationToken);
            return added;
        }, cancellationToken);

        analysisQueue.Enqueue(userId, id);
        return await ToResponseAsync(body, cancellationToken);
    }

    public async Task<IReadOnlyList<BodyResponse>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        var list = await bodies.ListAsync(userId, cancellationToken);
        var responses = new List<BodyResponse>(list.Count);
        foreach (var body in list)
        {
            responses.Add(await ToResponseAsync(body, cancellationToken));
        }

        return responses;
    }

    public async Task<BodyResponse> GetAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken) =>
        await ToResponseAsync(await FindAsync(userId, bodyId, cancellationToken), cancellationToken);

    public async Task<Body> FindAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken) =>
        await bodies.FindAsync(userId, bodyId, cancellationToken) ?? throw DomainException.NotFound("The body photo");

    public async Task<BodyResponse> SetDefaultAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        if (!await bodies.SetDefaultAsync(userId, bodyId, cancellationToken))
        {
            throw DomainException.NotFound("The body photo");
        }

        return await GetAsync(userId, bodyId, cancellationToken);
    }

    /// <summary>Deletes the document, then its objects; a default body passes the role to the newest remaining one.</summary>
    public async Task DeleteAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        var body = await FindAsync(userId, bodyId, cancellationToken);
        if (!await bodies.DeleteAsync(userId, bodyId, cancellationToken))
        {
            throw DomainException.NotFound("The body photo");
        }

        await images.DeleteAsync(body.Image, cancellationToken);
        await objects.DeleteByPrefixAsync($"users/{userId}/bodies/{bodyId}/analysis/", cancellationToken);
        if (body.IsDefault && (await bodies.ListAsync(userId, cancellationToken)).FirstOrDefault() is { } next)
        {
            await bodies.SetDefaultAsync(userId, next.Id, cancellationToken);
        }
    }

    /// <summary>The body for TryonService, analysed first if it is from before analyses existed (analysed on first use).</summary>
    public async Task<Body> FindAnalysedAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        var body = await FindAsync(userId, bodyId, cancellationToken);
        if (body.Status != BodyStatus.Ready || body.Analysis is not null)
        {
            return body;
        }

        await analysis.AnalyseAsync(body, cancellationToken);
        return await FindAsync(userId, bodyId, cancellationToken);
    }

    private async Task<BodyResponse> ToResponseAsync(Body body, CancellationToken cancellationToken) =>
        new(body.Id, body.Status, body.IsDefault, await images.ToResponseAsync(body.Image, cancellationToken), body.CreatedAt,
            body.Status == BodyStatus.Rejected ? new BodyRejection(body.RejectionCode ?? "body_rejected", body.RejectionMessage ?? "") : null,
            body.Analysis?.Wears ?? [],
            body.Analysis is { } found && body.Status == BodyStatus.Ready
                ? new BodyMasks(
                    await images.SignedUrlAsync(found.UpperRegionKey, cancellationToken),
                    await images.SignedUrlAsync(found.LowerRegionKey, cancellationToken),
                    await images.SignedUrlAsync(found.FullRegionKey, cancellationToken))
                : null);
}
