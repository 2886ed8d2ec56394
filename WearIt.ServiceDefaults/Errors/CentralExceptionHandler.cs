using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace WearIt.ServiceDefaults.Errors;

/// <summary>The one place exceptions become RFC 9457 problem details; a stack trace never reaches the client.</summary>
public sealed partial class CentralExceptionHandler(IProblemDetailsService problemDetails, ILogger<CentralExceptionHandler> logger)
    : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException domain => FromDomain(domain, httpContext),
            // A body that is not the JSON the route takes: truncated, not an object, a field of the wrong type.
            JsonException or BadHttpRequestException { InnerException: JsonException } => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The request body is not valid JSON of the shape this route takes.",
                Extensions = { [ProblemDetailsSetup.CodeKey] = "invalid_json" },
            },
            // A form past the field count or size limits.
            InvalidDataException or BadHttpRequestException { InnerException: InvalidDataException } => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Detail = "The form is too large or has too many fields.",
                Extensions = { [ProblemDetailsSetup.CodeKey] = "invalid_form" },
            },
            BadHttpRequestException badRequest => new ProblemDetails
            {
                Status = badRequest.StatusCode,
                Detail = badRequest.Message,
                Extensions = { [ProblemDetailsSetup.CodeKey] = ErrorCodes.DefaultCodeFor(badRequest.StatusCode) },
            },
            _ => null,
        };

        if (problem is null)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Detail = "An unexpected error occurred; the traceId identifies it in the logs.",
                Extensions = { [ProblemDetailsSetup.CodeKey] = "internal_error" },
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails FromDomain(DomainException exception, HttpContext httpContext)
    {
        if (exception.RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = new ProblemDetails
        {
            Status = ErrorCodes.StatusOf(exception.Kind),
            Detail = exception.Message,
            Extensions = { [ProblemDetailsSetup.CodeKey] = exception.Code },
        };
        if (exception.Errors is { Count: > 0 } errors)
        {
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
