using WearIt.ServiceDefaults.OpenApi;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>The <c>/api/v1/tryons</c> routes.</summary>
public static class TryonsEndpoints
{
    public static IEndpointRouteBuilder MapTryonsEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/tryons").WithTags("Try-ons").RequireAuthorization().ProducesUserProblems();

        group.MapPost("/", CreateAsync).WithName("CreateTryon").ProducesProblems(400, 402, 404, 409, 429, 503)
            .WithSummary("Starts a try-on {bodyId, items: [{source, id}], mode: fast|quality, seed?}; spends one credit; optional Idempotency-Key header.");
        group.MapGet("/", ListAsync).WithName("ListTryons").ProducesProblems(400).WithSummary("The latest version of each outfit, or every try-on of one body (bodyId=), paged.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetTryon").ProducesProblems(404).WithSummary("One try-on, with a signed result URL once it succeeded.");
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelTryon").ProducesProblems(404, 409).WithSummary("Cancels a queued or running try-on; its credit is refunded.");
        group.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteTryon").ProducesProblems(404, 409).WithSummary("Deletes a try-on and its stored result.");
        return app;
    }

    private static async Task<Accepted<TryonAccepted>> CreateAsync(
        ClaimsPrincipal principal, CreateTryonRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        TryonsService tryons, CancellationToken cancellationToken)
    {
        var accepted = await tryons.CreateAsync(principal.UserId(), request, idempotencyKey, cancellationToken);
        return TypedResults.Accepted($"/api/v1/tryons/{accepted.Id}", accepted);
    }

    private static async Task<Ok<TryonPage>> ListAsync(
        ClaimsPrincipal principal, Guid? bodyId, int? page, int? pageSize, TryonsService tryons, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tryons.ListAsync(principal.UserId(), bodyId, page, pageSize, cancellationToken));

    private static async Task<Ok<TryonResponse>> GetAsync(Guid id, ClaimsPrincipal principal, TryonsService tryons, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tryons.ToResponseAsync(await tryons.FindAsync(principal.UserId(), id, cancellationToken), cancellationToken));

    private static async Task<Ok<TryonResponse>> CancelAsync(Guid id, ClaimsPrincipal principal, TryonsService tryons, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tryons.ToResponseAsync(await tryons.CancelAsync(principal.UserId(), id, cancellationToken), cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, ClaimsPrincipal principal, TryonsService tryons, CancellationToken cancellationToken)
    {
        await tryons.DeleteAsync(principal.UserId(), id, cancellationToken);
        return TypedResults.NoContent();
    }
}
