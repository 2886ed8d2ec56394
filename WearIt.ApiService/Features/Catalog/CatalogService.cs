using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>Catalog search, facets and admin changes.</summary>
/// <remarks>
/// NOTE: the catalog is read-mostly and small (hundreds to a few thousand products), so search, filters and facets
/// run over the cached snapshot, identically on both backends. A catalog of a different size would move the query
/// into the repositories (a MongoDB text index).
/// </remarks>
public sealed class CatalogService(
    IProductRepository products, CatalogCache cache, CatalogPageCache pages, ImageIntake intake, ImageStorage images, IObjectStore objects,
    IHttpContextAccessor http, IOptions<JsonOptions> json, TimeProvider time)
{
    public const int DefaultPageSize = 24;

    /// <summary>
    /// The page <paramref name="query"/> asks for, serialized as the API writes it (from <see cref="CatalogPageCache"/>
    /// when this snapshot has made it for this origin before), and the snapshot's fingerprint.
    /// </summary>
    public async Task<(byte[] Json, string Fingerprint)> SearchJsonAsync(ProductQuery query, CancellationToken cancellationToken)
    {
        query.Validate();
        var snapshot = await cache.GetAsync(cancellationToken);
        var request = http.HttpContext?.Request;
        // The image URLs in a page name the origin it was asked on; the query is serialized whole, so two queries never share a key.
        var key = $"{request?.Scheme}://{request?.Host}{request?.PathBase}|{JsonSerializer.Serialize(query)}";
        var page = await pages.GetOrMakeAsync(snapshot.Fingerprint, key, async () =>
            JsonSerializer.SerializeToUtf8Bytes(await SearchAsync(snapshot, query, cancellationToken), json.Value.SerializerOptions));
        return (page, snapshot.Fingerprint);
    }

    private async Task<ProductPage> SearchAsync(CatalogSnapshot snapshot, ProductQuery query, CancellationToken cancellationToken)
    {
        var terms = Terms(query.Q);
        var matches = snapshot.Products
            .Where(product => query.Category is null || product.Category == query.Category)
            .Where(product => query.Brand is null || string.Equals(product.Brand, query.Brand, StringComparison.OrdinalIgnoreCase))
            .Where(product => query.Color is null || product.Colors.Any(color => string.Equals(color.Name, query.Color, StringComparison.OrdinalIgnoreCase)))
            .Where(product => query.Gender is null || product.Gender == query.Gender || (product.Gender == "unisex" && query.Gender != "unisex"))
            .Where(product => query.MinPrice is null || product.Price >= query.MinPrice)
            .Where(product => query.MaxPrice is null || product.Price <= query.MaxPrice)
            .Select(product => (Product: product, Score: Relevance(product, terms)))
            .Where(match => terms.Length == 0 || match.Score > 0);

        var sorted = (query.Sort ?? "relevance") switch
        {
            "newest" => matches.OrderByDescending(match => match.Product.CreatedAt),
            "price_asc" => matches.OrderBy(match => match.Product.Price),
            "price_desc" => matches.OrderByDescending(match => match.Product.Price),
            _ => matches.OrderByDescending(match => match.Score).ThenByDescending(match => match.Product.CreatedAt),
        };
        var ordered = sorted.ThenBy(match => match.Product.Id).Select(match => match.Product).ToList();

        var page = query.Page ?? 1;
        var pageSize = query.PageSize ?? DefaultPageSize;
        var items = new List<ProductResponse>();
        foreach (var product in ordered.Skip((page - 1) * pageSize).Take(pageSize))
        {
            items.Add(await ToResponseAsync(product, cancellationToken));
        }

        return new ProductPage(items, page, pageSize, ordered.Count);
    }

    public async Task<(CatalogFilters Filters, string Fingerprint)> FiltersAsync(CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(cancellationToken);
        var all = snapshot.Products;
        static IReadOnlyList<FacetValue> Facet(IEnumerable<string> values) =>
            [.. values.GroupBy(value => value).Select(group => new FacetValue(group.Key, group.Count())).OrderByDescending(facet => facet.Count).ThenBy(facet => facet.Value)];

        var filters = new CatalogFilters(
            Facet(all.Select(product => product.Category)),
            Facet(all.Select(product => product.Brand)),
            Facet(all.SelectMany(product => product.Colors.Select(color => color.Name).Distinct())),
            Facet(all.Select(product => product.Gender)),
            all.Count == 0 ? null : new PriceRange(all.Min(product => product.Price), all.Max(product => product.Price)));
        return (filters, snapshot.Fingerprint);
    }

    public async Task<Product> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await cache.GetAsync(cancellationToken)).Products.FirstOrDefault(product => product.Id == id)
        ?? await products.FindAsync(id, cancellationToken)
        ?? throw DomainException.NotFound("The product");

    public async Task<Product> CreateAsync(ProductRequest request, CancellationToken cancellationToken)
    {
        ProductRules.Check(request);
        var now = time.GetUtcNow().UtcDateTime;
        var product = new Product { Id = Guid.CreateVersion7(), CreatedAt = now, UpdatedAt = now };
        ProductRules.Apply(request, product);
        await products.InsertAsync(product, cancellationToken);
        cache.Invalidate();
        return product;
    }

    public async Task<Product> UpdateAsync(Guid id, ProductRequest request, CancellationToken cancellationToken)
    {
        ProductRules.Check(request);
        var product = await products.FindAsync(id, cancellationToken) ?? throw DomainException.NotFound("The product");
        ProductRules.Apply(request, product);
        product.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await ReplaceAsync(product, cancellationToken);
        return product;
    }

    /// <summary>Deletes the product, then every stored image under <c>catalog/{id}/</c>.</summary>
    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await products.DeleteAsync(id, cancellationToken))
        {
            throw DomainException.NotFound("The product");
        }

        cache.Invalidate();
        await objects.DeleteByPrefixAsync($"catalog/{id}/", cancellationToken);
    }

    /// <summary>Adds an image; if the product cannot be updated, the stored files are removed again.</summary>
    public async Task<Product> AddImageAsync(Guid id, IFormFile? file, CancellationToken cancellationToken)
    {
        var product = await products.FindAsync(id, cancellationToken) ?? throw DomainException.NotFound("The product");
        var prepared = await intake.PrepareAsync(file, cancellationToken);
        return await AddImageAsync(product, prepared, cancellationToken);
    }

    /// <summary>Stores a prepared image for a product and records it (also used by the seeder).</summary>
    public async Task<Product> AddImageAsync(Product product, PreparedImage prepared, CancellationToken cancellationToken)
    {
        var imageId = Guid.CreateVersion7();
        return await images.StoreThenRecordAsync($"catalog/{product.Id}/{imageId}", prepared, async stored =>
        {
            product.Images.Add(new ProductImage { Id = imageId, Image = stored });
            product.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await ReplaceAsync(product, cancellationToken);
            return product;
        }, cancellationToken);
    }

    public Task<ProductResponse> ToResponseAsync(Product product, CancellationToken cancellationToken)
    {
        // Catalog images are public: stable, unsigned, cacheable URLs (CatalogImages), nothing to sign per response.
        var context = http.HttpContext;
        var imageResponses = product.Images.Select(image => new ProductImageResponse(image.Id,
            CatalogImages.UrlFor(context, product.Id, image.Id, CatalogImages.Original), CatalogImages.UrlFor(context, product.Id, image.Id, CatalogImages.Thumbnail),
            image.Image.Width, image.Image.Height, image.Image.ContentType)).ToList();

        return Task.FromResult(new ProductResponse(product.Id, product.Title, product.Description, product.Brand, product.Category, product.ClothType, product.Gender,
            [.. product.Colors.Select(color => new ProductColorDto(color.Name, color.Hex))], product.Price, product.Currency,
            product.Sizes, product.Tags, imageResponses, product.CreatedAt, product.UpdatedAt, product.Version));
    }

    private async Task ReplaceAsync(Product product, CancellationToken cancellationToken)
    {
        if (!await products.TryReplaceAsync(product, cancellationToken))
        {
            throw new DomainException(ErrorKind.Conflict, "concurrent_update", "The product changed meanwhile; reload it and try again.");
        }

        cache.Invalidate();
    }

    private static string[] Terms(string? q) =>
        string.IsNullOrWhiteSpace(q) ? [] : q.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Title matches weigh most, then brand, then tags; a product must match every term to score.</summary>
    private static int Relevance(Product product, string[] terms)
    {
        var score = 0;
        foreach (var term in terms)
        {
            var termScore = (product.Title.Contains(term, StringComparison.OrdinalIgnoreCase) ? 3 : 0)
                + (product.Brand.Contains(term, StringComparison.OrdinalIgnoreCase) ? 2 : 0)
                + (product.Tags.Any(tag => tag.Contains(term, StringComparison.OrdinalIgnoreCase)) ? 1 : 0);
            if (termScore == 0)
            {
                return 0;
            }

            score += termScore;
        }

        return score;
    }
}
