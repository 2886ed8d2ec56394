using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>
/// The whole catalog held in memory for hot reads. Any admin change on this instance invalidates it at once; changes
/// made by another instance show within <see cref="MaxAge"/>.
/// </summary>
public sealed class CatalogCache(IServiceScopeFactory scopes, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private CatalogSnapshot? _snapshot;

    /// <summary>The current snapshot, loading it if it is missing or older than <see cref="MaxAge"/>.</summary>
    public async Task<CatalogSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < MaxAge)
        {
            return snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            snapshot = _snapshot;
            if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < MaxAge)
            {
                return snapshot;
            }

            await using var scope = scopes.CreateAsyncScope();
            var products = await scope.ServiceProvider.GetRequiredService<IProductRepository>().ListAllAsync(cancellationToken);
            _snapshot = snapshot = new CatalogSnapshot(products, Fingerprint(products), time.GetUtcNow());
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Drops the snapshot; the next read loads the catalog afresh.</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>A short hash of every product's id and version: it changes whenever any product does.</summary>
    private static string Fingerprint(IReadOnlyList<Product> products)
    {
        var text = string.Join(';', products.OrderBy(product => product.Id).Select(product => $"{product.Id:N}:{product.Version}"));
        return WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..12]);
    }
}

/// <summary>The catalog as loaded at one moment.</summary>
public sealed record CatalogSnapshot(IReadOnlyList<Product> Products, string Fingerprint, DateTimeOffset LoadedAt);
