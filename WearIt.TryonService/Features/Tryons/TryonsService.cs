using WearIt.ServiceDefaults.Garments;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Accepting and reading try-on jobs: validation, the body and garments resolved through ApiService, the payment, and
/// the responses. Every change of a job's state is <see cref="TryonJobs"/>'s; running them is <see cref="TryonWorker"/>'s.
/// </summary>
public sealed class TryonsService(
    ITryonJobRepository jobs, TryonJobs owner, IApiServiceClient apiService, IObjectStore objects, UserLimits limits,
    IOptions<TryonOptions> options, TimeProvider time)
{
    public const int MaxPageSize = 100;
    private static readonly HashSet<string> Sources = ["catalog", "wardrobe"];

    /// <summary>
    /// Validates the request, resolves the body and garments through ApiService, stores the job, then spends one
    /// credit. If the credit cannot be spent the job is removed again, so nothing is left queued without payment.
    /// </summary>
    public async Task<TryonAccepted> CreateAsync(Guid userId, CreateTryonRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .When(request.BodyId is null, "bodyId", "A body photo id is required.")
            .When(request.Items is null || request.Items.Count is 0 or > 2, "items", "Try on one or two garments.")
            .When(request.Items?.Any(item => item is null || item.Source is null || !Sources.Contains(item.Source) || item.Id is null) == true, "items", "Each item needs a source (catalog or wardrobe) and an id.")
            .When(request.Mode is not (null or "fast" or "quality"), "mode", "The mode is fast or quality.")
            .When(idempotencyKey is { Length: > 100 }, "Idempotency-Key", "The Idempotency-Key is at most 100 characters.");
        errors.ThrowIfAny();

        var scopedKey = string.IsNullOrWhiteSpace(idempotencyKey) ? null : $"{userId:N}:{idempotencyKey}";
        if (scopedKey is not null && await jobs.FindByIdempotencyKeyAsync(scopedKey, cancellationToken) is { } repeated)
        {
            return new TryonAccepted(repeated.Id, repeated.Status, repeated.Version);
        }

        limits.TakeStart(userId);
        var (body, garments) = await ResolveAsync(userId, request, cancellationToken);
        var items = garments.Select(garment => new TryonItem { Source = garment.Source, Id = garment.Id, ClothType = garment.ClothType, ImageKey = garment.ImageKey, Title = garment.Title }).ToList();

        try
        {
            Outfit.Check([.. items.Select(item => new GarmentInput(item.ClothType, []))]);
        }
        catch (TryonFailedException ex)
        {
            throw new DomainException(ErrorKind.Validation, ex.Code, ex.Message, new Dictionary<string, string[]> { ["items"] = [ex.Message] });
        }

        BodyGate.CheckWears(body, items.Select(item => item.ClothType));

        var outfitKey = OutfitKeys.Of(body.Id, items.Select(item => (item.Source, item.Id)));
        var now = time.GetUtcNow().UtcDateTime;
        var job = new TryonJob
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            BodyId = body.Id,
            BodyImageKey = body.ImageKey,
            BodyAnalysis = body.Analysis,
            Items = items,
            OutfitKey = outfitKey,
            Version = await jobs.MaxVersionAsync(userId, outfitKey, cancellationToken) + 1,
            Mode = request.Mode ?? "fast",
            Seed = request.Seed ?? Random.Shared.Next(),
            IdempotencyKey = scopedKey,
            Status = TryonStatus.PendingPayment,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await owner.CreatePendingAsync(job, cancellationToken))
        {
            var winner = await jobs.FindByIdempotencyKeyAsync(scopedKey!, cancellationToken) ?? throw new DomainException(ErrorKind.Conflict, "conflict", "Try again.");
            return new TryonAccepted(winner.Id, winner.Status, winner.Version);
        }

        // Pay, then queue: from here an aborted request cannot split the two (neither step listens to it). A job whose
        // spend answer was lost stays pending_payment, which no worker claims; the payment sweep asks ApiService and
        // queues or removes it.
        try
        {
            await apiService.SpendCreditAsync(userId, job.Id, CancellationToken.None);
        }
        catch (DomainException ex) when (ex.Kind != ErrorKind.DependencyUnavailable)
        {
            await jobs.DeleteAsync(userId, job.Id, CancellationToken.None);
            throw;
        }

        if (!await owner.QueuePaidAsync(job, CancellationToken.None))
        {
            throw new DomainException(ErrorKind.Conflict, "tryon_gone", "The try-on was removed before it could start; its credit is refunded.");
        }

        return new TryonAccepted(job.Id, job.Status, job.Version);
    }

    /// <summary>
    /// Asks ApiService for the body and every garment at once (one round trip's wait, not three), then reports in the
    /// order a user reads them: the body's errors first, then the garments' in the order they were sent.
    /// </summary>
    private async Task<(BodyInfo Body, GarmentInfo[] Garments)> ResolveAsync(Guid userId, CreateTryonRequest request, CancellationToken cancellationToken)
    {
        var bodyLookup = apiService.GetBodyAsync(userId, request.BodyId!.Value, cancellationToken);
        var garmentLookups = request.Items!.Select(item => apiService.GetGarmentAsync(userId, item.Source!, item.Id!.Value, cancellationToken)).ToArray();

        // Wait for every lookup before reading any, so none is left running (or failing unobserved) after this returns;
        // each one's own exception is then rethrown by awaiting it below, in order.
        await Task.WhenAll([bodyLookup, .. garmentLookups]).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var body = await bodyLookup;
        BodyGate.Check(body);
        var garments = new GarmentInfo[garmentLookups.Length];
        for (var i = 0; i < garmentLookups.Length; i++)
        {
            garments[i] = await garmentLookups[i];
        }

        return (body, garments);
    }

    public Task<TryonJob> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) => owner.FindVisibleAsync(userId, id, cancellationToken);

    /// <summary>The latest version of each outfit (or every job of one body), newest first, paged.</summary>
    public async Task<TryonPage> ListAsync(Guid userId, Guid? bodyId, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        new FieldErrors()
            .When(page is < 1, "page", "The page starts at 1.")
            .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"The page size must be 1 to {MaxPageSize}.")
            .ThrowIfAny();
        var all = (await jobs.ListAsync(userId, bodyId, cancellationToken)).Where(job => !job.DeleteRequested).ToList();
        var latest = bodyId is null
            ? all.GroupBy(job => job.OutfitKey).Select(group => group.MaxBy(job => job.Version)!).OrderByDescending(job => job.CreatedAt).ToList()
            : [.. all];
        var (number, size) = (page ?? 1, pageSize ?? 20);
        var items = new List<TryonResponse>();
        foreach (var job in latest.Skip((number - 1) * size).Take(size))
        {
            items.Add(await ToResponseAsync(job, cancellationToken));
        }

        return new TryonPage(items, number, size, latest.Count);
    }

    public Task<TryonJob> CancelAsync(Guid userId, Guid id, CancellationToken cancellationToken) => owner.CancelAsync(userId, id, cancellationToken);

    public Task DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) => owner.DeleteAsync(userId, id, cancellationToken);

    public async Task<TryonResponse> ToResponseAsync(TryonJob job, CancellationToken cancellationToken)
    {
        TryonResultDto? result = null;
        if (job.ResultKey is not null)
        {
            var url = await objects.GetSignedGetUrlAsync(job.ResultKey, options.Value.UrlLifetime, cancellationToken);
            result = new TryonResultDto(url, job.ResultWidth ?? 0, job.ResultHeight ?? 0, "image/png");
        }

        return new TryonResponse(job.Id, job.BodyId, [.. job.Items.Select(item => new TryonItemDto(item.Source, item.Id))], job.Mode, job.Seed,
            job.Status, job.Stage, job.Percent, job.Version, result,
            job.ErrorCode is null ? null : new TryonErrorDto(job.ErrorCode, job.ErrorMessage ?? ""), job.CreatedAt, job.UpdatedAt);
    }
}
