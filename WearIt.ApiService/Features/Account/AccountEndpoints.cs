using WearIt.ServiceDefaults.OpenApi;
using WearIt.ServiceDefaults.Authentication;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WearIt.ApiService.Features.Auth;
using WearIt.ApiService.Features.Users;

namespace WearIt.ApiService.Features.Account;

/// <summary>The <c>/api/v1/users/me</c> routes: the signed-in user's own account.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/users/me").WithTags("Users").RequireAuthorization().ProducesUserProblems();

        group.MapGet("/", GetMeAsync).WithName("GetMe").ProducesProblems(404).WithSummary("The signed-in user's account.");
        group.MapPatch("/", UpdateMeAsync).WithName("UpdateMe").ProducesProblems(400, 404, 409).WithSummary("Changes the name and style preferences.");
        group.MapPost("/password", ChangePasswordAsync).WithName("ChangePassword").ProducesProblems(400, 404, 429)
            .WithSummary("Changes the password (current + new) and ends every other session.");
        group.MapDelete("/", DeleteMeAsync).WithName("DeleteMe").ProducesProblems(400, 404)
            .WithSummary("Deletes the account and every document and stored object it owns, in both services.");
        return app;
    }

    private static async Task<Ok<UserResponse>> GetMeAsync(ClaimsPrincipal principal, AccountService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.GetAsync(principal.UserId(), cancellationToken));

    private static async Task<Ok<UserResponse>> UpdateMeAsync(
        ClaimsPrincipal principal, UpdateMeRequest request, AccountService users, CancellationToken cancellationToken) =>
        TypedResults.Ok(await users.UpdateAsync(principal.UserId(), request, cancellationToken));

    private static async Task<NoContent> ChangePasswordAsync(
        ClaimsPrincipal principal, ChangePasswordRequest request, AccountService users, CancellationToken cancellationToken)
    {
        var session = Guid.TryParse(principal.FindFirstValue(TokenIssuer.SessionClaim), out var sid) ? sid : (Guid?)null;
        await users.ChangePasswordAsync(principal.UserId(), session, request, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteMeAsync(
        ClaimsPrincipal principal, [FromBody] DeleteAccountRequest request, AccountService users, CancellationToken cancellationToken)
    {
        await users.DeleteAsync(principal.UserId(), request, cancellationToken);
        return TypedResults.NoContent();
    }
}
