using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>Jobs in MongoDB collection <c>tryon_jobs</c>; claims are one atomic findOneAndUpdate.</summary>
public sealed class MongoTryonJobRepository(IMongoDatabase database) : ITryonJobRepository, IRequiresIndexes
{
    private readonly IMongoCollection<TryonJob> _jobs = database.GetCollection<TryonJob>("tryon_jobs");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<TryonJob>.IndexKeys;
        await _jobs.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<TryonJob>(keys.Ascending(job => job.UserId).Descending(job => job.CreatedAt), new CreateIndexOptions { Name = "user_created" }),
            new CreateIndexModel<TryonJob>(keys.Ascending(job => job.Status).Ascending(job => job.CreatedAt), new CreateIndexOptions { Name = "status_created" }),
            new CreateIndexModel<TryonJob>(keys.Ascending(job => job.IdempotencyKey), new CreateIndexOptions<TryonJob>
            {
                Name = "idempotency_unique",
                Unique = true,
                PartialFilterExpression = Builders<TryonJob>.Filter.Type(job => job.IdempotencyKey, MongoDB.Bson.BsonType.String),
            }),
        ], cancellationToken);
    }

    public async Task<bool> TryInsertAsync(TryonJob job, CancellationToken cancellationToken)
    {
        try
        {
            await _jobs.InsertOneAsync(job, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
        {
            return false;
        }
    }

    public async Task<TryonJob?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await _jobs.Find(job => job.Id == id && job.UserId == userId).FirstOrDefaultAsync(cancellationToken);

    public async Task<TryonJob?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        await _jobs.Find(job => job.IdempotencyKey == idempotencyKey).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<TryonJob>> ListAsync(Guid userId, Guid? bodyId, CancellationToken cancellationToken)
    {
        var filter = Builders<TryonJob>.Filter.Eq(job => job.UserId, userId);
        if (bodyId is { } body)
        {
            filter &= Builders<TryonJob>.Filter.Eq(job => job.BodyId, body);
        }

        return await _jobs.Find(filter).SortByDescending(job => job.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<int> MaxVersionAsync(Guid userId, string outfitKey, CancellationToken cancellationToken)
    {
        var latest = await _jobs.Find(job => job.UserId == userId && job.OutfitKey == outfitKey)
            .SortByDescending(job => job.Version).Limit(1).FirstOrDefaultAsync(cancellationToken);
        return latest?.Version ?? 0;
    }

    public async Task<TryonJob?> TryClaimAsync(string owner, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        var filter = Builders<TryonJob>.Filter.Where(job =>
            job.Status == TryonStatus.Queued || (job.Status == TryonStatus.Running && job.LeaseExpiresAt <= now));
        var update = Builders<TryonJob>.Update
            .Set(job => job.Status, TryonStatus.Running)
            .Set(job => job.LeaseOwner, owner)
            .Set(job => job.LeaseExpiresAt, leaseUntil)
            .Set(job => job.UpdatedAt, now)
            .Inc(job => job.Attempts, 1);
        return await _jobs.FindOneAndUpdateAsync(filter, update, new FindOneAndUpdateOptions<TryonJob>
        {
            Sort = Builders<TryonJob>.Sort.Ascending(job => job.CreatedAt),
            ReturnDocument = ReturnDocument.After,
        }, cancellationToken);
    }

    public async Task<bool> TryReplaceAsync(TryonJob job, string expectedStatus, string? expectedOwner, CancellationToken cancellationToken)
    {
        var filter = Builders<TryonJob>.Filter.Where(existing => existing.Id == job.Id && existing.Status == expectedStatus && existing.LeaseOwner == expectedOwner);
        if (!job.CancelRequested)
        {
            // A cancel request that arrived after the job was read makes this replace fail, so it is never lost.
            filter &= Builders<TryonJob>.Filter.Eq(existing => existing.CancelRequested, false);
        }

        if (!job.DeleteRequested)
        {
            // Ne rather than Eq: a job stored before the field existed has none, and is not being deleted.
            filter &= Builders<TryonJob>.Filter.Ne(existing => existing.DeleteRequested, true);
        }

        var result = await _jobs.ReplaceOneAsync(filter, job, cancellationToken: cancellationToken);
        return result.MatchedCount == 1;
    }

    public async Task<bool> RequestCancelAsync(Guid userId, Guid id, bool delete, CancellationToken cancellationToken)
    {
        var update = Builders<TryonJob>.Update.Set(job => job.CancelRequested, true);
        if (delete)
        {
            update = update.Set(job => job.DeleteRequested, true);
        }

        return (await _jobs.UpdateOneAsync(job => job.Id == id && job.UserId == userId, update, cancellationToken: cancellationToken)).MatchedCount == 1;
    }

    public async Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        (await _jobs.DeleteOneAsync(job => job.Id == id && job.UserId == userId, cancellationToken)).DeletedCount == 1;

    public Task<long> CountQueuedAsync(CancellationToken cancellationToken) =>
        _jobs.CountDocumentsAsync(job => job.Status == TryonStatus.Queued, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<TryonJob>> ListRefundPendingAsync(int skip, int limit, CancellationToken cancellationToken) =>
        await _jobs.Find(job => job.RefundPending).SortBy(job => job.CreatedAt).Skip(skip).Limit(limit).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<TryonJob>> ListPendingPaymentAsync(DateTime createdBefore, int limit, CancellationToken cancellationToken) =>
        await _jobs.Find(job => job.Status == TryonStatus.PendingPayment && job.CreatedAt < createdBefore)
            .SortBy(job => job.CreatedAt).Limit(limit).ToListAsync(cancellationToken);

    public Task MarkRefundedAsync(Guid id, CancellationToken cancellationToken) =>
        _jobs.UpdateOneAsync(job => job.Id == id, Builders<TryonJob>.Update.Set(job => job.RefundPending, false), cancellationToken: cancellationToken);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _jobs.DeleteManyAsync(job => job.UserId == userId, cancellationToken);
}
