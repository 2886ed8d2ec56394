namespace WearIt.ApiService.Features.Favorites;

/// <summary>A saved outfit: garments (and optionally a body photo) to try on together.</summary>
public sealed class Favorite
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    public Guid? BodyId { get; set; }

    public List<OutfitItem> Items { get; set; } = [];

    /// <summary>The user, body and sorted items in one string; unique, so one outfit is saved once.</summary>
    public string OutfitKey { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}

/// <summary>One garment of an outfit: a catalog product or a wardrobe item.</summary>
public sealed class OutfitItem
{
    /// <summary><c>catalog</c> or <c>wardrobe</c>.</summary>
    public string Source { get; set; } = "";

    public Guid Id { get; set; }
}
