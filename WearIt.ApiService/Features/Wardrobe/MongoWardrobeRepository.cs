using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>Wardrobe items in MongoDB collection <c>wardrobe_items</c>.</summary>
public sealed class MongoWardrobeRepository(IMongoDatabase database) : IWardrobeRepository, IRequiresIndexes
{
    private readonly IMongoCollection<WardrobeItem> _items = database.GetCollection<WardrobeItem>("wardrobe_items");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        _items.Indexes.CreateOneAsync(new CreateIndexModel<WardrobeItem>(
            Builders<WardrobeItem>.IndexKeys.Ascending(item => item.UserId).Ascending(item => item.Category).Descending(item => item.CreatedAt),
            new CreateIndexOptions { Name = "user_category_created" }), cancellationToken: cancellationToken);

    public Task InsertAsync(WardrobeItem item, CancellationToken cancellationToken) =>
        _items.InsertOneAsync(item, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<WardrobeItem>> ListAsync(Guid userId, string? category, CancellationToken cancellationToken)
    {
        var filter = Builders<WardrobeItem>.Filter.Eq(item => item.UserId, userId);
        if (category is not null)
        {
            filter &= Builders<WardrobeItem>.Filter.Eq(item => item.Category, category);
        }

        return await _items.Find(filter).SortByDescending(item => item.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<WardrobeItem?> FindAsync(Guid userId, Guid itemId, CancellationToken cancellationToken) =>
        await _items.Find(item => item.Id == itemId && item.UserId == userId).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> ReplaceAsync(WardrobeItem item, CancellationToken cancellationToken) =>
        (await _items.ReplaceOneAsync(stored => stored.Id == item.Id && stored.UserId == item.UserId, item, cancellationToken: cancellationToken)).MatchedCount == 1;

    public async Task<bool> DeleteAsync(Guid userId, Guid itemId, CancellationToken cancellationToken) =>
        (await _items.DeleteOneAsync(item => item.Id == itemId && item.UserId == userId, cancellationToken)).DeletedCount == 1;

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) =>
        _items.DeleteManyAsync(item => item.UserId == userId, cancellationToken);
}
