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

    public StoredImage Image { get; set; } = new();

    public DateTime CreatedAt { get; set; }
}
