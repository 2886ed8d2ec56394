using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Favorites;

/// <summary>Saved outfits in LiteDB collection <c>favorites</c> (embedded mode).</summary>
public sealed class LiteDbFavoriteRepository(ILiteDatabase database) : IFavoriteRepository, IRequiresIndexes
{
    private readonly ILiteCollection<Favorite> _favorites = database.GetCollection<Favorite>("favorites");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _favorites.EnsureIndex(favorite => favorite.OutfitKey, unique: true);
        _favorites.EnsureIndex(favorite => favorite.UserId);
        return Task.CompletedTask;
    }

    public Task<bool> TryInsertAsync(Favorite favorite, CancellationToken cancellationToken)
    {
        try
        {
            _favorites.Insert(favorite);
            return Task.FromResult(true);
        }
        catch (LiteException ex) when (DuplicateKey.IsLite(ex))
        {
            return Task.FromResult(false);
        }
    }

    public Task<Favorite?> FindByOutfitKeyAsync(string outfitKey, CancellationToken cancellationToken) =>
        Task.FromResult<Favorite?>(_favorites.FindOne(favorite => favorite.OutfitKey == outfitKey));

    public Task<IReadOnlyList<Favorite>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Favorite>>(_favorites.Query().Where(favorite => favorite.UserId == userId).OrderByDescending(favorite => favorite.CreatedAt).ToList());

    public Task<Favorite?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var favorite = _favorites.FindById(id);
        return Task.FromResult(favorite?.UserId == userId ? favorite : null);
    }

    public Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(_favorites.DeleteMany(favorite => favorite.Id == id && favorite.UserId == userId) == 1);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _favorites.DeleteMany(favorite => favorite.UserId == userId);
        return Task.CompletedTask;
    }
}
