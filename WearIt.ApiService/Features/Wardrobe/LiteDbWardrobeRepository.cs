using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>Wardrobe items in LiteDB collection <c>wardrobe_items</c> (embedded mode).</summary>
public sealed class LiteDbWardrobeRepository(ILiteDatabase database) : IWardrobeRepository, IRequiresIndexes
{
    private readonly ILiteCollection<WardrobeItem> _items = database.GetCollection<WardrobeItem>("wardrobe_items");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _items.EnsureIndex(item => item.UserId);
        return Task.CompletedTask;
    }

    public Task InsertAsync(WardrobeItem item, CancellationToken cancellationToken)
    {
        _items.Insert(item);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WardrobeItem>> ListAsync(Guid userId, string? category, CancellationToken cancellationToken)
    {
        var query = _items.Query().Where(item => item.UserId == userId);
        if (category is not null)
        {
            query = query.Where(item => item.Category == category);
        }

        return Task.FromResult<IReadOnlyList<WardrobeItem>>(query.OrderByDescending(item => item.CreatedAt).ToList());
    }

    public Task<WardrobeItem?> FindAsync(Guid userId, Guid itemId, CancellationToken cancellationToken)
    {
        var item = _items.FindById(itemId);
        return Task.FromResult(item?.UserId == userId ? item : null);
    }

    public Task<bool> ReplaceAsync(WardrobeItem item, CancellationToken cancellationToken)
    {
        var stored = _items.FindById(item.Id);
        return Task.FromResult(stored?.UserId == item.UserId && _items.Update(item));
    }

    public Task<bool> DeleteAsync(Guid userId, Guid itemId, CancellationToken cancellationToken) =>
        Task.FromResult(_items.DeleteMany(item => item.Id == itemId && item.UserId == userId) == 1);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _items.DeleteMany(item => item.UserId == userId);
        return Task.CompletedTask;
    }
}
