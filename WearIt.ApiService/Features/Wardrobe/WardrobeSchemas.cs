using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Wardrobe;

public sealed record WardrobeItemResponse(Guid Id, string Name, string Category, string ClothType, string? Kind, ImageResponse Image, DateTime CreatedAt);

public sealed record UpdateWardrobeItemRequest(string? Name, string? Category, string? ClothType, string? Kind);

public sealed record WardrobeCategoryCount(string Category, int Count);
