using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WearIt.ServiceDefaults.OpenApi;

/// <summary>
/// Declares the problem-details outcomes of an endpoint or a group, so the OpenAPI document (and Scalar) lists each
/// route's errors with their schema: 400 as a validation problem (with <c>errors</c>), the others as problem details.
/// Every error body carries <c>code</c> and <c>traceId</c> (<see cref="Errors.ProblemDetailsSetup"/>).
/// </summary>
public static class ProblemResponses
{
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes)
        {
            if (status == StatusCodes.Status400BadRequest)
            {
                builder.ProducesValidationProblem();
            }
            else
            {
                builder.ProducesProblem(status);
            }
        }

        return builder;
    }

    /// <summary>What a user route that needs a signed-in user may answer whatever it does.</summary>
    public static TBuilder ProducesUserProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status401Unauthorized);

    /// <summary>What an internal route (a service token) may answer whatever it does.</summary>
    public static TBuilder ProducesInternalProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
}
