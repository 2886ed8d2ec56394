using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Engine;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>Accepting, reading, cancelling and deleting try-on jobs. Running them is <see cref="TryonWorker"/>'s.</summary>
public sealed class TryonsService(
    ITryonJobRepository jobs, ITryonEventLog events, IApiServiceClient apiService, IObjectStore objects, UserLimits limits,
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
        var body = await apiService.GetBodyAsync(userId, request.BodyId!.Value, cancellationToken);
        BodyGate.Check(body);
        var items = new List<TryonItem>();
        foreach (var item in request.Items!)
        {
            var garment = await apiService.GetGarmentAsync(userId, item.Source!, item.Id!.Value, cancellationToken);
            items.Add(new TryonItem { Source = garment.Source, Id = garment.Id, ClothType = garment.ClothType, ImageKey = garment.ImageKey, Title = garment.Title });
        }

        try
        {
            Outfit.Check([.. items.Select(item => new GarmentInput(item.ClothType, []))]);
        }
        catch (TryonFailedException ex)
        {
            throw new DomainException(ErrorKind.Validation, ex.Code, ex.Message, new Dictionary<string, string[]> { ["items"] = [ex.Message] });
        }

        BodyGate.CheckWears(body, items.Select(item => item.ClothType));

        var outfitKey = $"{body.Id:N}|{string.Join(',', items.Select(item => $"{item.Source}:{item.Id:N}").Order(StringComparer.Ordinal))}";
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
        if (!await jobs.TryInsertAsync(job, cancellationToken))
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

        if (!await QueuePaidAsync(job, CancellationToken.None))
        {
            throw new DomainException(ErrorKind.Conflict, "tryon_gone", "The try-on was removed before it could start; its credit is refunded.");
        }

        return new TryonAccepted(job.Id, job.Status, job.Version);
    }

    /// <summary>Makes a paid pending job claimable and tells the user; false (and refunded) when the job is gone meanwhile.</summary>
    public async Task<bool> QueuePaidAsync(TryonJob job, CancellationToken cancellationToken)
    {
        job.Status = TryonStatus.Queued;
        job.UpdatedAt = time.GetUtcNow().UtcDateTime;
        if (!await jobs.TryReplaceAsync(job, TryonStatus.PendingPayment, null, cancellationToken))
        {
            var stored = await jobs.FindAsync(job.UserId, job.Id, cancellationToken);
            if (stored is null)
            {
                // Removed by the payment sweep (or deleted by the user) after it was charged: the credit goes back.
                await FinishRefundAsync(job, cancellationToken);
                return false;
            }

            // Queued already by whoever settled it first.
            return stored.Status != TryonStatus.PendingPayment;
        }

        await events.AppendAsync(new TryonEvent { UserId = job.UserId, JobId = job.Id, Type = "tryon.queued", CreatedAt = job.UpdatedAt }, cancellationToken);
        return true;
    }

    public async Task<TryonJob> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await jobs.FindAsync(userId, id, cancellationToken) ?? throw DomainException.NotFound("The try-on");

    /// <summary>The latest version of each outfit (or every job of one body), newest first, paged.</summary>
    public async Task<TryonPage> ListAsync(Guid userId, Guid? bodyId, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        new FieldErrors()
            .When(page is < 1, "page", "The page starts at 1.")
            .When(pageSize is < 1 or > MaxPageSize, "pageSize", $"The page size must be 1 to {MaxPageSize}.")
            .ThrowIfAny();
        var all = await jobs.ListAsync(userId, bodyId, cancellationToken);
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

    /// <summary>Cancels a queued job at once; a running one stops at its next stage. A finished job cannot be cancelled.</summary>
    public async Task<TryonJob> CancelAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var job = await FindAsync(userId, id, cancellationToken);
        if (TryonStatus.IsFinished(job.Status))
        {
            throw new DomainException(ErrorKind.Conflict, "tryon_finished", $"The try-on already {job.Status}.");
        }

        if (job.Status == TryonStatus.Queued)
        {
            job.Status = TryonStatus.Canceled;
            job.CancelRequested = true;
            job.RefundPending = true;
            job.UpdatedAt = time.GetUtcNow().UtcDateTime;
            if (await jobs.TryReplaceAsync(job, TryonStatus.Queued, null, cancellationToken))
            {
                await FinishRefundAsync(job, cancellationToken);
                await events.AppendAsync(new TryonEvent { UserId = userId, JobId = id, Type = "tryon.canceled", CreatedAt = job.UpdatedAt }, cancellationToken);
                return job;
            }
        }

        await jobs.RequestCancelAsync(userId, id, cancellationToken);
        return await FindAsync(userId, id, cancellationToken);
    }

    /// <summary>Deletes the job and its stored result and previews; an unfinished job is cancelled (and refunded) first.</summary>
    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var job = await FindAsync(userId, id, cancellationToken);
        if (!TryonStatus.IsFinished(job.Status))
        {
            await jobs.RequestCancelAsync(userId, id, cancellationToken);
            try
            {
                await apiService.RefundCreditAsync(userId, id, cancellationToken);
            }
            catch (DomainException ex) when (ex.Code == "spend_not_found")
            {
                // A job whose payment never went through: nothing to give back.
            }
        }

        await jobs.DeleteAsync(userId, id, cancellationToken);
        await objects.DeleteByPrefixAsync($"users/{userId}/tryons/{id}/", cancellationToken);
    }

    /// <summary>Asks ApiService for the refund; if it cannot be reached, the worker's sweep retries.</summary>
    public async Task FinishRefundAsync(TryonJob job, CancellationToken cancellationToken)
    {
        try
        {
            await apiService.RefundCreditAsync(job.UserId, job.Id, cancellationToken);
            await jobs.MarkRefundedAsync(job.Id, cancellationToken);
        }
        catch (DomainException ex) when (ex.Kind == ErrorKind.DependencyUnavailable)
        {
            // RefundPending stays set; TryonWorker's refund sweep tries again.
        }
        catch (DomainException ex) when (ex.Code == "spend_not_found")
        {
            // Never charged (its spend was refused or never happened): nothing to give back.
            await jobs.MarkRefundedAsync(job.Id, cancellationToken);
        }
    }

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
