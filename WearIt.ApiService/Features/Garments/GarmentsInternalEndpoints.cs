using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Garments;

/// <summary>The internal garment read TryonService calls with a service token.</summary>
public static class GarmentsInternalEndpoints
{
    public static IEndpointRouteBuilder MapGarmentsInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/v1/users/{userId:guid}/garments/{source}/{id:guid}", GetAsync)
            .WithTags("Internal")
            .WithName("GetGarmentInternal").ProducesProblems(400, 404)
            .WithSummary("A catalog product or the user's wardrobe item: object key, cloth type, image metadata (service token only).")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<Ok<InternalGarmentResponse>> GetAsync(
        Guid userId, string source, Guid id, GarmentSources garments, CancellationToken cancellationToken)
    {
        var garment = await garments.FindAsync(userId, source, id, cancellationToken);
        return TypedResults.Ok(new InternalGarmentResponse(garment.Id, garment.Source, garment.Category, garment.ClothType,
            garment.Image.Key, garment.Image.ContentType, garment.Image.Width, garment.Image.Height, garment.Image.HasAlpha, garment.Title));
    }
}
