namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>Stores wardrobe items; every read and write is scoped to one user.</summary>
public interface IWardrobeRepository
{
    Task InsertAsync(WardrobeItem item, CancellationToken cancellationToken);

    /// <summary>The user's items, newest first, optionally of one category.</summary>
    Task<IReadOnlyList<WardrobeItem>> ListAsync(Guid userId, string? category, CancellationToken cancellationToken);

    Task<WardrobeItem?> FindAsync(Guid userId, Guid itemId, CancellationToken cancellationToken);

    /// <summary>Replaces the item if it belongs to the user; false otherwise.</summary>
    Task<bool> ReplaceAsync(WardrobeItem item, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid userId, Guid itemId, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}
