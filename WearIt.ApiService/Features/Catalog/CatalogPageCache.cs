using Microsoft.Extensions.Caching.Memory;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>
/// Catalog pages as serialized, for the snapshot they were made from: building a page (filter, sort, 24 responses) and
/// serializing its 20 KB was most of what a catalog request cost (issue 13). An entry's key names the snapshot's
/// fingerprint, the origin the page's image URLs point at and the whole query, so a page is only ever served for
/// exactly the request it was made for; a new snapshot (an admin write here at once, another instance's within
/// <see cref="CatalogCache.MaxAge"/>) starts an empty cache. At most <see cref="MaxBytes"/> of pages are kept.
/// </summary>
public sealed class CatalogPageCache : IDisposable
{
    /// <summary>How many bytes of serialized pages are kept at most.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private readonly Lock _swap = new();
    private (string Fingerprint, MemoryCache Pages) _current = ("", NewPages());

    /// <summary>The page of <paramref name="key"/> made from the snapshot <paramref name="fingerprint"/>, made by <paramref name="make"/> if it is not kept.</summary>
    public async Task<byte[]> GetOrMakeAsync(string fingerprint, string key, Func<Task<byte[]>> make)
    {
        var pages = PagesOf(fingerprint);
        if (pages.TryGetValue(key, out byte[]? page) && page is not null)
        {
            return page;
        }

        page = await make();
        pages.Set(key, page, new MemoryCacheEntryOptions { Size = page.Length });
        return page;
    }

    public void Dispose() => _current.Pages.Dispose();

    private MemoryCache PagesOf(string fingerprint)
    {
        var current = _current;
        if (current.Fingerprint == fingerprint)
        {
            return current.Pages;
        }

        lock (_swap)
        {
            if (_current.Fingerprint != fingerprint)
            {
                // The old pages are left to the collector, not disposed: a request may still be filling them.
                _current = (fingerprint, NewPages());
            }

            return _current.Pages;
        }
    }

    private static MemoryCache NewPages() => new(new MemoryCacheOptions { SizeLimit = MaxBytes, CompactionPercentage = 0.25 });
}
