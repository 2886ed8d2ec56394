using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>A catalog garment.</summary>
public sealed class Product
{
    public Guid Id { get; set; }

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public string Brand { get; set; } = "";

    /// <summary>tops, bottoms, dresses or outerwear.</summary>
    public string Category { get; set; } = "";

    /// <summary>upper, lower or dress: how a try-on wears it.</summary>
    public string ClothType { get; set; } = "";

    /// <summary>women, men or unisex.</summary>
    public string Gender { get; set; } = "";

    public List<ProductColor> Colors { get; set; } = [];

    public decimal Price { get; set; }

    /// <summary>ISO 4217, such as EUR.</summary>
    public string Currency { get; set; } = "EUR";

    public List<string> Sizes { get; set; } = [];

    public List<string> Tags { get; set; } = [];

    /// <summary>Product images; the first is the garment cut-out try-ons use.</summary>
    public List<ProductImage> Images { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }
}

public sealed class ProductColor
{
    public string Name { get; set; } = "";

    /// <summary><c>#RRGGBB</c>.</summary>
    public string Hex { get; set; } = "";
}

/// <summary>One stored product image with its own id (the key prefix under <c>catalog/{productId}/</c>).</summary>
public sealed class ProductImage
{
    public Guid Id { get; set; }

    public StoredImage Image { get; set; } = new();
}
