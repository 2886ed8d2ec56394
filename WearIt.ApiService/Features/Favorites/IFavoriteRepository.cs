namespace WearIt.ApiService.Features.Favorites;

/// <summary>Stores saved outfits; every read and write is scoped to one user.</summary>
public interface IFavoriteRepository
{
    /// <summary>Inserts the outfit; false when the user already saved the same one.</summary>
    Task<bool> TryInsertAsync(Favorite favorite, CancellationToken cancellationToken);

    Task<Favorite?> FindByOutfitKeyAsync(string outfitKey, CancellationToken cancellationToken);

    Task<IReadOnlyList<Favorite>> ListAsync(Guid userId, CancellationToken cancellationToken);

    Task<Favorite?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}
