using WearIt.ServiceDefaults.OpenApi;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>The <c>/api/v1/bodies</c> routes and the internal body read for TryonService.</summary>
public static class BodiesEndpoints
{
    public static IEndpointRouteBuilder MapBodiesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/bodies").WithTags("Bodies").RequireAuthorization().ProducesUserProblems();

        group.MapPost("/", UploadAsync).WithName("UploadBody").ProducesProblems(400, 413, 415, 429, 503)
            .WithSummary("Uploads a photo of yourself (multipart field 'image': JPEG, PNG or WebP); it is 'processing' until checked, then 'ready' or 'rejected'.")
            .DisableAntiforgery()
            .WithImageUploadLimit();
        group.MapGet("/", ListAsync).WithName("ListBodies").WithSummary("Your body photos, newest first.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetBody").ProducesProblems(404).WithSummary("One of your body photos.");
        group.MapPut("/{id:guid}/default", SetDefaultAsync).WithName("SetDefaultBody").ProducesProblems(404).WithSummary("Makes this photo your default.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteBody").ProducesProblems(404).WithSummary("Deletes the photo and its stored files.");

        app.MapGet("/internal/v1/users/{userId:guid}/bodies/{id:guid}", GetInternalAsync)
            .WithTags("Internal")
            .WithName("GetBodyInternal").ProducesProblems(404)
            .WithSummary("A user's body: object key, image metadata and analysis, analysing it first if it never was (service token only).")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<Created<BodyResponse>> UploadAsync(
        ClaimsPrincipal principal, IFormFile? image, BodiesService bodies, CancellationToken cancellationToken)
    {
        var body = await bodies.UploadAsync(principal.UserId(), image, cancellationToken);
        return TypedResults.Created($"/api/v1/bodies/{body.Id}", body);
    }

    private static async Task<Ok<IReadOnlyList<BodyResponse>>> ListAsync(ClaimsPrincipal principal, BodiesService bodies, CancellationToken cancellationToken) =>
        TypedResults.Ok(await bodies.ListAsync(principal.UserId(), cancellationToken));

    private static async Task<Ok<BodyResponse>> GetAsync(Guid id, ClaimsPrincipal principal, BodiesService bodies, CancellationToken cancellationToken) =>
        TypedResults.Ok(await bodies.GetAsync(principal.UserId(), id, cancellationToken));

    private static async Task<Ok<BodyResponse>> SetDefaultAsync(Guid id, ClaimsPrincipal principal, BodiesService bodies, CancellationToken cancellationToken) =>
        TypedResults.Ok(await bodies.SetDefaultAsync(principal.UserId(), id, cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal principal, BodiesService bodies, CancellationToken cancellationToken)
    {
        await bodies.DeleteAsync(principal.UserId(), id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<InternalBodyResponse>> GetInternalAsync(Guid userId, Guid id, BodiesService bodies, CancellationToken cancellationToken)
    {
        var body = await bodies.FindAnalysedAsync(userId, id, cancellationToken);
        return TypedResults.Ok(new InternalBodyResponse(
            body.Id, body.UserId, body.Status, body.Image.Key, body.Image.ContentType, body.Image.Width, body.Image.Height, body.RejectionCode, body.RejectionMessage, body.Analysis));
    }
}
