using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.TryonService.Features.UserData;

/// <summary>The internal endpoint ApiService calls when an account is deleted.</summary>
public static partial class UserDataEndpoints
{
    public static IEndpointRouteBuilder MapUserDataInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/internal/v1/users/{userId:guid}", DeleteUserDataAsync)
            .WithTags("Internal")
            .WithName("DeleteUserData")
            .WithSummary("Deletes every try-on and stored result of a deleted account (idempotent).")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }

    private static async Task<NoContent> DeleteUserDataAsync(
        Guid userId, IObjectStore objects, ITryonJobRepository jobs, ITryonEventLog events, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await jobs.DeleteAllForUserAsync(userId, cancellationToken);
        await events.DeleteAllForUserAsync(userId, cancellationToken);
        var deleted = await objects.DeleteByPrefixAsync($"users/{userId}/tryons/", cancellationToken);
        LogDeleted(loggers.CreateLogger(typeof(UserDataEndpoints)), userId, deleted);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted the try-on data of account {UserId}: {Objects} objects")]
    private static partial void LogDeleted(ILogger logger, Guid userId, int objects);
}
