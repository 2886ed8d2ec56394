using System.Text.RegularExpressions;
using WearIt.ServiceDefaults.Garments;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Catalog;

public sealed record ProductColorDto(string Name, string Hex);

/// <summary>The body of an admin create or update.</summary>
public sealed record ProductRequest(
    string? Title, string? Description, string? Brand, string? Category, string? ClothType, string? Gender,
    IReadOnlyList<ProductColorDto>? Colors, decimal? Price, string? Currency, IReadOnlyList<string>? Sizes, IReadOnlyList<string>? Tags);

public sealed record ProductImageResponse(Guid Id, Uri Url, Uri ThumbnailUrl, int Width, int Height, string ContentType);

public sealed record ProductResponse(
    Guid Id, string Title, string Description, string Brand, string Category, string ClothType, string Gender,
    IReadOnlyList<ProductColorDto> Colors, decimal Price, string Currency, IReadOnlyList<string> Sizes, IReadOnlyList<string> Tags,
    IReadOnlyList<ProductImageResponse> Images, DateTime CreatedAt, DateTime UpdatedAt, int Version);

public sealed record ProductPage(IReadOnlyList<ProductResponse> Items, int Page, int PageSize, int Total);

public sealed record FacetValue(string Value, int Count);

public sealed record PriceRange(decimal Min, decimal Max);

/// <summary>Every filter value in the catalog with how many products have it.</summary>
public sealed record CatalogFilters(
    IReadOnlyList<FacetValue> Categories, IReadOnlyList<FacetValue> Brands, IReadOnlyList<FacetValue> Colors,
    IReadOnlyList<FacetValue> Genders, PriceRange? Price);

/// <summary>The query string of <c>GET /catalog/products</c>.</summary>
public sealed record ProductQuery(
    int? Page, int? PageSize, string? Q, string? Category, string? Brand, string? Color, string? Gender,
    decimal? MinPrice, decimal? MaxPrice, string? Sort)
{
    public const int MaxPageSize = 100;
    public static readonly IReadOnlySet<string> Sorts = new HashSet<string> { "relevance", "newest", "price_asc", "price_desc" };

    public void Validate()
    {
        new FieldErrors()
            .When(Page is < 1, "page", "The page starts at 1.")
            .When(PageSize is < 1 or > MaxPageSize, "pageSize", $"The page size must be 1 to {MaxPageSize}.")
            .When(Sort is not null && !Sorts.Contains(Sort), "sort", $"The sort must be one of: {string.Join(", ", Sorts)}.")
            .When(MinPrice is < 0, "minPrice", "The minimum price cannot be negative.")
            .When(MinPrice is not null && MaxPrice is not null && MinPrice > MaxPrice, "maxPrice", "The maximum price is below the minimum.")
            .ThrowIfAny();
    }
}

/// <summary>The rules of a product's fields.</summary>
public static partial class ProductRules
{
    public static readonly IReadOnlySet<string> Genders = new HashSet<string> { "women", "men", "unisex" };

    public static void Check(ProductRequest request)
    {
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200, "title", "A title of 1 to 200 characters is required.")
            .When(request.Description is { Length: > 4000 }, "description", "The description must be at most 4000 characters.")
            .When(string.IsNullOrWhiteSpace(request.Brand) || request.Brand.Length > 100, "brand", "A brand of 1 to 100 characters is required.")
            .When(request.Gender is null || !Genders.Contains(request.Gender), "gender", "The gender must be women, men or unisex.")
            .When(request.Price is null or < 0 or > 1_000_000, "price", "A price from 0 to 1,000,000 is required.")
            .When(request.Currency is null || !CurrencyPattern().IsMatch(request.Currency), "currency", "The currency must be a three-letter ISO 4217 code.")
            .When(request.Colors is null || request.Colors.Count == 0 || request.Colors.Any(color => string.IsNullOrWhiteSpace(color.Name) || !HexPattern().IsMatch(color.Hex ?? "")),
                "colors", "At least one colour, each with a name and a #RRGGBB hex value, is required.")
            .When(request.Sizes is { Count: > 30 }, "sizes", "At most 30 sizes.")
            .When(request.Tags is { Count: > 30 } || request.Tags?.Any(tag => string.IsNullOrWhiteSpace(tag) || tag.Length > 50) == true, "tags", "At most 30 tags of 1 to 50 characters.");
        GarmentTaxonomy.Check(errors, request.Category, request.ClothType ?? (request.Category is not null ? GarmentTaxonomy.ClothTypeOfCategory.GetValueOrDefault(request.Category) : null));
        errors.ThrowIfAny();
    }

    public static void Apply(ProductRequest request, Product product)
    {
        product.Title = request.Title!.Trim();
        product.Description = request.Description?.Trim() ?? "";
        product.Brand = request.Brand!.Trim();
        product.Category = request.Category!;
        product.ClothType = request.ClothType ?? GarmentTaxonomy.ClothTypeOfCategory[request.Category!];
        product.Gender = request.Gender!;
        product.Colors = [.. request.Colors!.Select(color => new ProductColor { Name = color.Name.Trim().ToLowerInvariant(), Hex = color.Hex.ToUpperInvariant() })];
        product.Price = decimal.Round(request.Price!.Value, 2);
        product.Currency = request.Currency!.ToUpperInvariant();
        product.Sizes = [.. request.Sizes ?? []];
        product.Tags = [.. (request.Tags ?? []).Select(tag => tag.Trim().ToLowerInvariant())];
    }

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex HexPattern();
}
