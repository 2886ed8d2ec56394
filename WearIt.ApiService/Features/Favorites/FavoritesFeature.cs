using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Favorites;

/// <summary>Saved outfits: a body and the garments to try on it.</summary>
public static class FavoritesFeature
{
    public static IHostApplicationBuilder AddFavorites(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IFavoriteRepository, MongoFavoriteRepository, LiteDbFavoriteRepository>();
        builder.Services.AddScoped<FavoritesService>();
        builder.Services.AddUserDataEraser<IFavoriteRepository>((favorites, userId, cancellationToken) => favorites.DeleteAllForUserAsync(userId, cancellationToken));
        return builder;
    }
}
