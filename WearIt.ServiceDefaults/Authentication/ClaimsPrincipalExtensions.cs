using System.Security.Claims;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>Reads WearIt's claims from an authenticated user.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id, from the token's <c>sub</c>.</summary>
    public static Guid UserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue("sub"), out var id) ? id : throw new InvalidOperationException("The token has no user id.");
}
