namespace WearIt.ApiService.Features.Favorites;

public sealed record OutfitItemDto(string? Source, Guid? Id);

public sealed record CreateFavoriteRequest(string? Name, Guid? BodyId, IReadOnlyList<OutfitItemDto>? Items);

public sealed record FavoriteResponse(Guid Id, string Name, Guid? BodyId, IReadOnlyList<OutfitItemDto> Items, DateTime CreatedAt)
{
    public static FavoriteResponse From(Favorite favorite) =>
        new(favorite.Id, favorite.Name, favorite.BodyId, [.. favorite.Items.Select(item => new OutfitItemDto(item.Source, item.Id))], favorite.CreatedAt);
}
