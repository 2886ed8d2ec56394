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
