using WearIt.ServiceDefaults.OpenApi;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Auth;

/// <summary>The <c>/api/v1/auth/verify-email</c> routes; rate limited per client address like the rest of auth.</summary>
public static class EmailVerificationEndpoints
{
    /// <summary>The one-click link's path, as mailed.</summary>
    public const string LinkPath = "/api/v1/auth/verify-email/link";

    public static IEndpointRouteBuilder MapEmailVerificationApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth/verify-email")
            .WithTags("Auth")
            .RequireRateLimiting(AuthRateLimiting.PolicyName);

        group.MapPost("/", VerifyAsync)
            .WithName("VerifyEmail").ProducesProblems(400, 429)
            .WithSummary("Verifies the address with the mailed 6-digit code; grants the starter credits and any referral bonus.");
        group.MapGet("/link", VerifyLinkAsync)
            .WithName("VerifyEmailLink").ProducesProblems(400, 429)
            .WithSummary("The mailed one-click link: verifies, then sends the browser to the web app with the outcome.");
        group.MapPost("/resend", ResendAsync)
            .WithName("ResendVerification").ProducesProblems(401, 409, 429, 503)
            .WithSummary("Mails a new verification code and link to the signed-in user (the old ones stop working).")
            .RequireAuthorization().ProducesUserProblems();
        return app;
    }

    private static async Task<NoContent> VerifyAsync(VerifyEmailRequest request, EmailVerificationService verification, CancellationToken cancellationToken)
    {
        await verification.VerifyCodeAsync(request, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<RedirectHttpResult> VerifyLinkAsync(Guid? user, string? token, EmailVerificationService verification, CancellationToken cancellationToken)
    {
        var verified = user is { } userId && await verification.VerifyLinkAsync(userId, token, cancellationToken);
        return TypedResults.Redirect($"/#/verify-email?result={(verified ? "verified" : "failed")}");
    }

    private static async Task<Accepted> ResendAsync(ClaimsPrincipal principal, EmailVerificationService verification, CancellationToken cancellationToken)
    {
        await verification.ResendAsync(principal.UserId(), cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
