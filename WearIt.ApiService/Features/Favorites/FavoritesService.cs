using WearIt.ServiceDefaults.Garments;
using WearIt.ApiService.Features.Bodies;
using WearIt.ApiService.Features.Garments;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Favorites;

/// <summary>Saved outfits: every garment and the body must exist and be the user's (or the catalog's).</summary>
public sealed class FavoritesService(IFavoriteRepository favorites, GarmentSources garments, BodiesService bodies, TimeProvider time)
{
    public const int MaxItems = 4;
    public const int MaxNameLength = 100;

    /// <summary>Saves the outfit; the same outfit saved again returns the one already saved (created = false).</summary>
    public async Task<(FavoriteResponse Favorite, bool Created)> CreateAsync(Guid userId, CreateFavoriteRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > MaxNameLength, "name", $"A name of 1 to {MaxNameLength} characters is required.")
            .When(request.Items is null || request.Items.Count is 0 or > MaxItems, "items", $"An outfit has 1 to {MaxItems} items.")
            .When(request.Items?.Any(item => item is null || item.Source is null || !GarmentSources.Sources.Contains(item.Source) || item.Id is null) == true,
                "items", "Each item needs a source (catalog or wardrobe) and an id.");
        errors.ThrowIfAny();

        var items = request.Items!.Select(item => new OutfitItem { Source = item.Source!, Id = item.Id!.Value })
            .DistinctBy(item => (item.Source, item.Id))
            .ToList();
        if (request.BodyId is { } bodyId)
        {
            await bodies.FindAsync(userId, bodyId, cancellationToken);
        }

        foreach (var item in items)
        {
            await garments.FindAsync(userId, item.Source, item.Id, cancellationToken);
        }

        var outfitKey = $"{userId:N}|{OutfitKeys.Of(request.BodyId, items.Select(item => (item.Source, item.Id)))}";
        var favorite = new Favorite
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = request.Name!.Trim(),
            BodyId = request.BodyId,
            Items = items,
            OutfitKey = outfitKey,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        if (await favorites.TryInsertAsync(favorite, cancellationToken))
        {
            return (FavoriteResponse.From(favorite), true);
        }

        var existing = await favorites.FindByOutfitKeyAsync(outfitKey, cancellationToken)
            ?? throw new DomainException(ErrorKind.Conflict, "concurrent_update", "The outfit changed meanwhile; try again.");
        return (FavoriteResponse.From(existing), false);
    }

    public async Task<IReadOnlyList<FavoriteResponse>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        [.. (await favorites.ListAsync(userId, cancellationToken)).Select(FavoriteResponse.From)];

    public async Task<FavoriteResponse> GetAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        FavoriteResponse.From(await favorites.FindAsync(userId, id, cancellationToken) ?? throw DomainException.NotFound("The outfit"));

    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        if (!await favorites.DeleteAsync(userId, id, cancellationToken))
        {
            throw DomainException.NotFound("The outfit");
        }
    }
}
