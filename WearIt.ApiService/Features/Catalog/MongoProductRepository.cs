using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>Products in MongoDB collection <c>products</c>.</summary>
public sealed class MongoProductRepository(IMongoDatabase database) : IProductRepository, IRequiresIndexes
{
    private readonly IMongoCollection<Product> _products = database.GetCollection<Product>("products");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        _products.Indexes.CreateOneAsync(new CreateIndexModel<Product>(
            Builders<Product>.IndexKeys.Ascending(product => product.Category), new CreateIndexOptions { Name = "category" }),
            cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<Product>> ListAllAsync(CancellationToken cancellationToken) =>
        await _products.Find(FilterDefinition<Product>.Empty).ToListAsync(cancellationToken);

    public async Task<Product?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await _products.Find(product => product.Id == id).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> AnyAsync(CancellationToken cancellationToken) =>
        await _products.Find(FilterDefinition<Product>.Empty).AnyAsync(cancellationToken);

    public Task InsertAsync(Product product, CancellationToken cancellationToken) =>
        _products.InsertOneAsync(product, cancellationToken: cancellationToken);

    public async Task<bool> TryReplaceAsync(Product product, CancellationToken cancellationToken)
    {
        var readVersion = product.Version;
        product.Version = readVersion + 1;
        var result = await _products.ReplaceOneAsync(stored => stored.Id == product.Id && stored.Version == readVersion, product, cancellationToken: cancellationToken);
        if (result.ModifiedCount == 1)
        {
            return true;
        }

        product.Version = readVersion;
        return false;
    }

    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        (await _products.DeleteOneAsync(product => product.Id == id, cancellationToken)).DeletedCount == 1;
}
