using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>Products in LiteDB collection <c>products</c> (embedded mode).</summary>
public sealed class LiteDbProductRepository(ILiteDatabase database) : IProductRepository, IRequiresIndexes
{
    private readonly ILiteCollection<Product> _products = database.GetCollection<Product>("products");

    // NOTE: one process owns an embedded database; this gate makes read-check-write one step within it.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _products.EnsureIndex(product => product.Category);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Product>> ListAllAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Product>>(_products.FindAll().ToList());

    public Task<Product?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<Product?>(_products.FindById(id));

    public Task<bool> AnyAsync(CancellationToken cancellationToken) => Task.FromResult(_products.Count() > 0);

    public Task InsertAsync(Product product, CancellationToken cancellationToken)
    {
        _products.Insert(product);
        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceAsync(Product product, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _products.FindById(product.Id);
            if (stored is null || stored.Version != product.Version)
            {
                return Task.FromResult(false);
            }

            product.Version++;
            _products.Update(product);
            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(_products.Delete(id));
}
