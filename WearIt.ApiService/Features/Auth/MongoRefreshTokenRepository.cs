using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Refresh tokens in MongoDB collection <c>refresh_tokens</c>; expired ones are removed by a TTL index.</summary>
public sealed class MongoRefreshTokenRepository(IMongoDatabase database) : IRefreshTokenRepository, IRequiresIndexes
{
    private readonly IMongoCollection<RefreshToken> _tokens = database.GetCollection<RefreshToken>("refresh_tokens");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<RefreshToken>.IndexKeys;
        await _tokens.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<RefreshToken>(keys.Ascending(token => token.UserId), new CreateIndexOptions { Name = "user" }),
            new CreateIndexModel<RefreshToken>(keys.Ascending(token => token.FamilyId), new CreateIndexOptions { Name = "family" }),
            new CreateIndexModel<RefreshToken>(keys.Ascending(token => token.ExpiresAt), new CreateIndexOptions { Name = "expiry_ttl", ExpireAfter = TimeSpan.Zero }),
        ], cancellationToken);
    }

    public Task InsertAsync(RefreshToken token, CancellationToken cancellationToken) =>
        _tokens.InsertOneAsync(token, cancellationToken: cancellationToken);

    public async Task<RefreshToken?> FindAsync(string tokenHash, CancellationToken cancellationToken) =>
        await _tokens.Find(token => token.Id == tokenHash).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> TryMarkRotatedAsync(string tokenHash, DateTime at, CancellationToken cancellationToken)
    {
        var result = await _tokens.UpdateOneAsync(
            token => token.Id == tokenHash && token.RotatedAt == null && token.RevokedAt == null,
            Builders<RefreshToken>.Update.Set(token => token.RotatedAt, at),
            cancellationToken: cancellationToken);
        return result.ModifiedCount == 1;
    }

    public Task RevokeFamilyAsync(Guid familyId, DateTime at, CancellationToken cancellationToken) =>
        _tokens.UpdateManyAsync(
            token => token.FamilyId == familyId && token.RevokedAt == null,
            Builders<RefreshToken>.Update.Set(token => token.RevokedAt, at),
            cancellationToken: cancellationToken);

    public Task RevokeAllForUserAsync(Guid userId, Guid? keepFamilyId, DateTime at, CancellationToken cancellationToken) =>
        _tokens.UpdateManyAsync(
            token => token.UserId == userId && token.RevokedAt == null && token.FamilyId != keepFamilyId,
            Builders<RefreshToken>.Update.Set(token => token.RevokedAt, at),
            cancellationToken: cancellationToken);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _tokens.DeleteManyAsync(token => token.UserId == userId, cancellationToken);
}
