using LiteDB;
using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>Appends with the next free sequence number; the id <c>{user}:{seq}</c> makes a lost race a duplicate key.</summary>
internal static class EventNumbering
{
    public const int MaxAttempts = 50;

    public static string IdFor(Guid userId, long seq) => $"{userId:N}:{seq:D12}";
}

/// <summary>The event log in MongoDB collection <c>tryon_events</c>.</summary>
public sealed class MongoTryonEventLog(IMongoDatabase database) : ITryonEventLog, IRequiresIndexes
{
    private readonly IMongoCollection<TryonEvent> _events = database.GetCollection<TryonEvent>("tryon_events");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        _events.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<TryonEvent>(
                Builders<TryonEvent>.IndexKeys.Ascending(e => e.UserId).Ascending(e => e.Seq), new CreateIndexOptions { Name = "user_seq" }),
            new CreateIndexModel<TryonEvent>(Builders<TryonEvent>.IndexKeys.Ascending(e => e.CreatedAt), new CreateIndexOptions { Name = "created_at" }),
        ], cancellationToken);

    public async Task<TryonEvent> AppendAsync(TryonEvent tryonEvent, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < EventNumbering.MaxAttempts; attempt++)
        {
            var userId = tryonEvent.UserId;
            tryonEvent.Seq = await LatestSeqAsync(userId, cancellationToken) + 1;
            tryonEvent.Id = EventNumbering.IdFor(userId, tryonEvent.Seq);
            try
            {
                await _events.InsertOneAsync(tryonEvent, cancellationToken: cancellationToken);
                return tryonEvent;
            }
            catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
            {
                // Another writer took this number; read the new last one and try the next.
            }
        }

        throw new InvalidOperationException("Could not number a try-on event: too many concurrent writers.");
    }

    public async Task<long> LatestSeqAsync(Guid userId, CancellationToken cancellationToken) =>
        (await _events.Find(e => e.UserId == userId).SortByDescending(e => e.Seq).Limit(1).FirstOrDefaultAsync(cancellationToken))?.Seq ?? 0;

    public async Task<IReadOnlyList<TryonEvent>> ListAfterAsync(Guid userId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        await _events.Find(e => e.UserId == userId && e.Seq > afterSeq).SortBy(e => e.Seq).Limit(limit).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<Guid>> UsersWithEventsAfterAsync(DateTime since, CancellationToken cancellationToken) =>
        await (await _events.DistinctAsync(e => e.UserId, e => e.CreatedAt > since, cancellationToken: cancellationToken)).ToListAsync(cancellationToken);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _events.DeleteManyAsync(e => e.UserId == userId, cancellationToken);
}

/// <summary>The event log in LiteDB collection <c>tryon_events</c> (embedded mode).</summary>
public sealed class LiteDbTryonEventLog(ILiteDatabase database) : ITryonEventLog, IRequiresIndexes
{
    private readonly ILiteCollection<TryonEvent> _events = database.GetCollection<TryonEvent>("tryon_events");

    // NOTE: one process owns an embedded database; this gate makes numbering and inserting one step within it.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _events.EnsureIndex(e => e.UserId);
        _events.EnsureIndex(e => e.CreatedAt);
        return Task.CompletedTask;
    }

    public Task<TryonEvent> AppendAsync(TryonEvent tryonEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var userId = tryonEvent.UserId;
            tryonEvent.Seq = Latest(userId) + 1;
            tryonEvent.Id = EventNumbering.IdFor(userId, tryonEvent.Seq);
            _events.Insert(tryonEvent);
            return Task.FromResult(tryonEvent);
        }
    }

    public Task<long> LatestSeqAsync(Guid userId, CancellationToken cancellationToken) => Task.FromResult(Latest(userId));

    public Task<IReadOnlyList<TryonEvent>> ListAfterAsync(Guid userId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TryonEvent>>(_events.Query().Where(e => e.UserId == userId && e.Seq > afterSeq)
            .OrderBy(e => e.Seq).Limit(limit).ToList());

    public Task<IReadOnlyList<Guid>> UsersWithEventsAfterAsync(DateTime since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>([.. _events.Query().Where(e => e.CreatedAt > since).Select(e => e.UserId).ToEnumerable().Distinct()]);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _events.DeleteMany(e => e.UserId == userId);
        return Task.CompletedTask;
    }

    private long Latest(Guid userId) =>
        _events.Query().Where(e => e.UserId == userId).OrderByDescending(e => e.Seq).Select(e => e.Seq).FirstOrDefault();
}
