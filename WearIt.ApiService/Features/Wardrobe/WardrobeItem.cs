using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>A garment the user photographed or uploaded.</summary>
public sealed class WardrobeItem
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    public string Category { get; set; } = "";

    public string ClothType { get; set; } = "";

    /// <summary>What the garment is, finer than the category (<c>tshirt</c>, <c>coat</c> … see GarmentTaxonomy), when known.</summary>
    public string? Kind { get; set; }

    public StoredImage Image { get; set; } = new();

    public DateTime CreatedAt { get; set; }
}
