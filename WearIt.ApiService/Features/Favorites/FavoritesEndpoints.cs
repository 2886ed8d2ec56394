using WearIt.ServiceDefaults.OpenApi;
using WearIt.ServiceDefaults.Authentication;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WearIt.ApiService.Features.Favorites;

/// <summary>The <c>/api/v1/favorites</c> routes: saved outfits.</summary>
public static class FavoritesEndpoints
{
    public static IEndpointRouteBuilder MapFavoritesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/favorites").WithTags("Favorites").RequireAuthorization().ProducesUserProblems();

        group.MapPost("/", CreateAsync).WithName("CreateFavorite").ProducesProblems(400, 404, 409)
            .WithSummary("Saves an outfit {name, bodyId?, items: [{source: catalog|wardrobe, id}]}; the same outfit again returns the saved one.");
        group.MapGet("/", ListAsync).WithName("ListFavorites").WithSummary("Your saved outfits, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetFavorite").ProducesProblems(404).WithSummary("One saved outfit.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteFavorite").ProducesProblems(404).WithSummary("Deletes a saved outfit.");
        return app;
    }

    private static async Task<Results<Created<FavoriteResponse>, Ok<FavoriteResponse>>> CreateAsync(
        ClaimsPrincipal principal, CreateFavoriteRequest request, FavoritesService favorites, CancellationToken cancellationToken)
    {
        var (favorite, created) = await favorites.CreateAsync(principal.UserId(), request, cancellationToken);
        return created ? TypedResults.Created($"/api/v1/favorites/{favorite.Id}", favorite) : TypedResults.Ok(favorite);
    }

    private static async Task<Ok<IReadOnlyList<FavoriteResponse>>> ListAsync(ClaimsPrincipal principal, FavoritesService favorites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await favorites.ListAsync(principal.UserId(), cancellationToken));

    private static async Task<Ok<FavoriteResponse>> GetAsync(Guid id, ClaimsPrincipal principal, FavoritesService favorites, CancellationToken cancellationToken) =>
        TypedResults.Ok(await favorites.GetAsync(principal.UserId(), id, cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal principal, FavoritesService favorites, CancellationToken cancellationToken)
    {
        await favorites.DeleteAsync(principal.UserId(), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
