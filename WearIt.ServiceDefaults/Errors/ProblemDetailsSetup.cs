using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace WearIt.ServiceDefaults.Errors;

/// <summary>Registers RFC 9457 problem details: every 4xx and 5xx body carries a <c>code</c> and the <c>traceId</c>.</summary>
public static class ProblemDetailsSetup
{
    /// <summary>The extension member holding the stable machine code.</summary>
    public const string CodeKey = "code";

    /// <summary>The extension member holding the trace id.</summary>
    public const string TraceIdKey = "traceId";

    /// <summary>Adds problem details, the central exception handler and the code/traceId enrichment.</summary>
    public static IServiceCollection AddWearItProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Extensions.TryAdd(CodeKey, ErrorCodes.DefaultCodeFor(status));
            problem.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            problem.Instance ??= context.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<CentralExceptionHandler>();
        // A body minimal APIs cannot bind is thrown, so it reaches the one error path (400 invalid_json) instead of
        // an empty 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Turns exceptions and empty error responses (404 routes, 401 challenges) into problem details, and refuses a JSON
    /// body in a charset other than UTF-8 (415 <c>unsupported_charset</c>) before anything tries to decode it.
    /// </summary>
    public static IApplicationBuilder UseWearItErrorHandling(this IApplicationBuilder app) =>
        app.UseExceptionHandler().UseStatusCodePages().Use(static (context, next) =>
        {
            if (context.Request.ContentType is { } contentType
                && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                && mediaType.MediaType.Value is { } name
                && (name.Equals("application/json", StringComparison.OrdinalIgnoreCase) || name.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
                && mediaType.Charset.HasValue
                && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                && !mediaType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                throw new DomainException(ErrorKind.UnsupportedMediaType, "unsupported_charset", "JSON bodies must be UTF-8.");
            }

            return next(context);
        });
}
