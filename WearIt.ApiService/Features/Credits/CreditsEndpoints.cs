using WearIt.ServiceDefaults.OpenApi;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Credits;

/// <summary>The user's own balance, and the internal credit endpoints TryonService calls with a service token.</summary>
public static class CreditsEndpoints
{
    public static IEndpointRouteBuilder MapCreditsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/users/me/credits", GetCreditsAsync).WithTags("Users").RequireAuthorization().ProducesUserProblems()
            .WithName("GetCredits").WithSummary("The credit balance and recent ledger.");
        app.MapCreditsInternalApi();
        return app;
    }

    private static async Task<Ok<CreditsResponse>> GetCreditsAsync(ClaimsPrincipal principal, CreditsService credits, CancellationToken cancellationToken) =>
        TypedResults.Ok(await credits.GetAsync(principal.UserId(), cancellationToken));

    private static IEndpointRouteBuilder MapCreditsInternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/internal/v1/users/{userId:guid}/credits")
            .WithTags("Internal")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();

        group.MapPost("/spend", SpendAsync)
            .WithName("SpendCreditForJob").ProducesProblems(400, 402, 404, 409)
            .WithSummary("Spends one credit for a try-on job (idempotent by job id); 402 at zero.");
        group.MapPost("/refund", RefundAsync)
            .WithName("RefundCreditForJob").ProducesProblems(400, 404)
            .WithSummary("Refunds the credit a job spent (idempotent by job id).");
        group.MapGet("/spends/{jobId}", FindSpendAsync)
            .WithName("FindCreditSpendForJob").ProducesProblems(404)
            .WithSummary("Whether a credit was spent for the job and whether it was refunded (a spend whose answer was lost is found here).");
        return app;
    }

    private static async Task<Ok<JobCreditResponse>> SpendAsync(
        Guid userId, JobCreditRequest request, CreditsService credits, CancellationToken cancellationToken)
    {
        var jobId = RequireJobId(request);
        var entry = await credits.SpendForJobAsync(userId, jobId, cancellationToken);
        return TypedResults.Ok(new JobCreditResponse(jobId, entry.Amount, entry.BalanceAfter));
    }

    private static async Task<Ok<JobCreditResponse>> RefundAsync(
        Guid userId, JobCreditRequest request, CreditsService credits, CancellationToken cancellationToken)
    {
        var jobId = RequireJobId(request);
        var entry = await credits.RefundJobAsync(userId, jobId, cancellationToken);
        return TypedResults.Ok(new JobCreditResponse(jobId, entry.Amount, entry.BalanceAfter));
    }

    private static async Task<Ok<JobSpendResponse>> FindSpendAsync(Guid userId, string jobId, CreditsService credits, CancellationToken cancellationToken)
    {
        var id = RequireJobId(new JobCreditRequest(jobId));
        var (spent, refunded) = await credits.FindJobSpendAsync(userId, id, cancellationToken);
        return TypedResults.Ok(new JobSpendResponse(id, spent, refunded));
    }

    private static string RequireJobId(JobCreditRequest request) =>
        !string.IsNullOrWhiteSpace(request.JobId) && request.JobId.Length <= 100
            ? request.JobId
            : throw DomainException.Validation(new Dictionary<string, string[]> { ["jobId"] = ["A job id of 1 to 100 characters is required."] });
}
