using WearIt.ApiService.Features.Catalog;
using WearIt.ApiService.Features.Wardrobe;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Garments;

/// <summary>A garment to wear, whichever source it comes from; <see cref="Title"/> is the product's title or the wardrobe item's name.</summary>
public sealed record Garment(string Source, Guid Id, string Category, string ClothType, StoredImage Image, string Title);

/// <summary>Finds a garment in the catalog or in one user's wardrobe; someone else's wardrobe item is not found.</summary>
public sealed class GarmentSources(CatalogService catalog, WardrobeService wardrobe)
{
    public const string CatalogSource = "catalog";
    public const string WardrobeSource = "wardrobe";

    public static readonly IReadOnlySet<string> Sources = new HashSet<string> { CatalogSource, WardrobeSource };

    public async Task<Garment> FindAsync(Guid userId, string source, Guid id, CancellationToken cancellationToken)
    {
        switch (source)
        {
            case CatalogSource:
                var product = await catalog.FindAsync(id, cancellationToken);
                var image = product.Images.FirstOrDefault()?.Image
                    ?? throw new DomainException(ErrorKind.Conflict, "garment_has_no_image", "This product has no image to try on yet.");
                return new Garment(source, product.Id, product.Category, product.ClothType, image, product.Title);
            case WardrobeSource:
                var item = await wardrobe.FindAsync(userId, id, cancellationToken);
                return new Garment(source, item.Id, item.Category, item.ClothType, item.Image, item.Name);
            default:
                throw DomainException.Validation(new Dictionary<string, string[]> { ["source"] = ["The source must be catalog or wardrobe."] });
        }
    }
}

/// <summary>What TryonService needs of a garment: object key, cloth type, image metadata and its title (hosted engines describe it).</summary>
public sealed record InternalGarmentResponse(
    Guid Id, string Source, string Category, string ClothType, string ImageKey, string ContentType, int Width, int Height, bool HasAlpha, string Title);
