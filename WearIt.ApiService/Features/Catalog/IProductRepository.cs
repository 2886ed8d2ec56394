namespace WearIt.ApiService.Features.Catalog;

/// <summary>Stores catalog products.</summary>
public interface IProductRepository
{
    /// <summary>Every product (the catalog is read-mostly and cached whole by <see cref="CatalogService"/>).</summary>
    Task<IReadOnlyList<Product>> ListAllAsync(CancellationToken cancellationToken);

    Task<Product?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<bool> AnyAsync(CancellationToken cancellationToken);

    Task InsertAsync(Product product, CancellationToken cancellationToken);

    /// <summary>Replaces the product if its version is still the one read, counting the version up; false otherwise.</summary>
    Task<bool> TryReplaceAsync(Product product, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken);
}
