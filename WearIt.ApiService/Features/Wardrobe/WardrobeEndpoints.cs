using WearIt.ServiceDefaults.OpenApi;
using WearIt.ServiceDefaults.Authentication;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>The <c>/api/v1/wardrobe</c> routes.</summary>
public static class WardrobeEndpoints
{
    public static IEndpointRouteBuilder MapWardrobeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/wardrobe").WithTags("Wardrobe").RequireAuthorization().ProducesUserProblems();

        group.MapPost("/", AddAsync).WithName("AddWardrobeItem").ProducesProblems(400, 413, 415, 429, 503)
            .WithSummary("Adds a garment of your own (multipart: image, category, clothType, optional name and kind: tshirt, shirt, sweater, hoodie, jacket, coat, pants, shorts, skirt, dress, costume).")
            .DisableAntiforgery()
            .WithImageUploadLimit();
        group.MapGet("/", ListAsync).WithName("ListWardrobe").ProducesProblems(400).WithSummary("Your garments, newest first, optionally of one category.");
        group.MapGet("/categories", CategoriesAsync).WithName("WardrobeCategories").WithSummary("Every category with your item count.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetWardrobeItem").ProducesProblems(404).WithSummary("One of your garments.");
        group.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateWardrobeItem").ProducesProblems(400, 404).WithSummary("Renames or recategorises a garment.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWardrobeItem").ProducesProblems(404).WithSummary("Deletes a garment and its stored files.");
        return app;
    }

    private static async Task<Created<WardrobeItemResponse>> AddAsync(
        ClaimsPrincipal principal, IFormFile? image, [FromForm] string? category, [FromForm] string? clothType, [FromForm] string? name, [FromForm] string? kind,
        WardrobeService wardrobe, CancellationToken cancellationToken)
    {
        var item = await wardrobe.AddAsync(principal.UserId(), image, category, clothType, name, kind, cancellationToken);
        return TypedResults.Created($"/api/v1/wardrobe/{item.Id}", item);
    }

    private static async Task<Ok<IReadOnlyList<WardrobeItemResponse>>> ListAsync(
        ClaimsPrincipal principal, string? category, WardrobeService wardrobe, CancellationToken cancellationToken) =>
        TypedResults.Ok(await wardrobe.ListAsync(principal.UserId(), category, cancellationToken));

    private static async Task<Ok<IReadOnlyList<WardrobeCategoryCount>>> CategoriesAsync(
        ClaimsPrincipal principal, WardrobeService wardrobe, CancellationToken cancellationToken) =>
        TypedResults.Ok(await wardrobe.CategoriesAsync(principal.UserId(), cancellationToken));

    private static async Task<Ok<WardrobeItemResponse>> GetAsync(Guid id, ClaimsPrincipal principal, WardrobeService wardrobe, CancellationToken cancellationToken) =>
        TypedResults.Ok(await wardrobe.GetAsync(principal.UserId(), id, cancellationToken));

    private static async Task<Ok<WardrobeItemResponse>> UpdateAsync(
        Guid id, ClaimsPrincipal principal, UpdateWardrobeItemRequest request, WardrobeService wardrobe, CancellationToken cancellationToken) =>
        TypedResults.Ok(await wardrobe.UpdateAsync(principal.UserId(), id, request, cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal principal, WardrobeService wardrobe, CancellationToken cancellationToken)
    {
        await wardrobe.DeleteAsync(principal.UserId(), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
