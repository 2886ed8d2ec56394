using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Favorites;

/// <summary>Saved outfits in MongoDB collection <c>favorites</c>.</summary>
public sealed class MongoFavoriteRepository(IMongoDatabase database) : IFavoriteRepository, IRequiresIndexes
{
    private readonly IMongoCollection<Favorite> _favorites = database.GetCollection<Favorite>("favorites");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        var keys = Builders<Favorite>.IndexKeys;
        await _favorites.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<Favorite>(keys.Ascending(favorite => favorite.OutfitKey), new CreateIndexOptions { Unique = true, Name = "outfit_unique" }),
            new CreateIndexModel<Favorite>(keys.Ascending(favorite => favorite.UserId).Descending(favorite => favorite.CreatedAt), new CreateIndexOptions { Name = "user_created" }),
        ], cancellationToken);
    }

    public async Task<bool> TryInsertAsync(Favorite favorite, CancellationToken cancellationToken)
    {
        try
        {
            await _favorites.InsertOneAsync(favorite, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
        {
            return false;
        }
    }

    public async Task<Favorite?> FindByOutfitKeyAsync(string outfitKey, CancellationToken cancellationToken) =>
        await _favorites.Find(favorite => favorite.OutfitKey == outfitKey).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<Favorite>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        await _favorites.Find(favorite => favorite.UserId == userId).SortByDescending(favorite => favorite.CreatedAt).ToListAsync(cancellationToken);

    public async Task<Favorite?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await _favorites.Find(favorite => favorite.Id == id && favorite.UserId == userId).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        (await _favorites.DeleteOneAsync(favorite => favorite.Id == id && favorite.UserId == userId, cancellationToken)).DeletedCount == 1;

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _favorites.DeleteManyAsync(favorite => favorite.UserId == userId, cancellationToken);
}
