using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>Bodies in MongoDB collection <c>bodies</c>.</summary>
public sealed class MongoBodyRepository(IMongoDatabase database) : IBodyRepository, IRequiresIndexes
{
    private readonly IMongoCollection<Body> _bodies = database.GetCollection<Body>("bodies");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        _bodies.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<Body>(Builders<Body>.IndexKeys.Ascending(body => body.UserId).Descending(body => body.CreatedAt), new CreateIndexOptions { Name = "user_created" }),
            new CreateIndexModel<Body>(Builders<Body>.IndexKeys.Ascending(body => body.Status).Ascending(body => body.CreatedAt), new CreateIndexOptions { Name = "status_created" }),
        ], cancellationToken);

    public Task InsertAsync(Body body, CancellationToken cancellationToken) =>
        _bodies.InsertOneAsync(body, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<Body>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        await _bodies.Find(body => body.UserId == userId).SortByDescending(body => body.CreatedAt).ToListAsync(cancellationToken);

    public async Task<Body?> FindAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken) =>
        await _bodies.Find(body => body.Id == bodyId && body.UserId == userId).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> SetDefaultAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        var chosen = await _bodies.UpdateOneAsync(body => body.Id == bodyId && body.UserId == userId,
            Builders<Body>.Update.Set(body => body.IsDefault, true), cancellationToken: cancellationToken);
        if (chosen.MatchedCount == 0)
        {
            return false;
        }

        await _bodies.UpdateManyAsync(body => body.UserId == userId && body.Id != bodyId && body.IsDefault,
            Builders<Body>.Update.Set(body => body.IsDefault, false), cancellationToken: cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken) =>
        (await _bodies.DeleteOneAsync(body => body.Id == bodyId && body.UserId == userId, cancellationToken)).DeletedCount == 1;

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _bodies.DeleteManyAsync(body => body.UserId == userId, cancellationToken);

    public async Task<bool> CompleteAnalysisAsync(Guid userId, Guid bodyId, string status, string? rejectionCode, string? rejectionMessage, BodyAnalysis? analysis, CancellationToken cancellationToken)
    {
        // One atomic update, matched only while the body still awaits its analysis.
        var awaiting = Builders<Body>.Filter.Where(body => body.Id == bodyId && body.UserId == userId)
            & (Builders<Body>.Filter.Eq(body => body.Status, BodyStatus.Processing)
               | (Builders<Body>.Filter.Eq(body => body.Status, BodyStatus.Ready) & Builders<Body>.Filter.Eq(body => body.Analysis, null)));
        var update = Builders<Body>.Update
            .Set(body => body.Status, status)
            .Set(body => body.RejectionCode, rejectionCode)
            .Set(body => body.RejectionMessage, rejectionMessage)
            .Set(body => body.Analysis, analysis);
        return (await _bodies.UpdateOneAsync(awaiting, update, cancellationToken: cancellationToken)).ModifiedCount == 1;
    }

    public async Task<IReadOnlyList<Body>> ListProcessingAsync(int limit, CancellationToken cancellationToken) =>
        await _bodies.Find(body => body.Status == BodyStatus.Processing).SortBy(body => body.CreatedAt).Limit(limit).ToListAsync(cancellationToken);
}
