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
        return services;
    }

    /// <summary>Turns exceptions and empty error responses (404 routes, 401 challenges) into problem details.</summary>
    public static IApplicationBuilder UseWearItErrorHandling(this IApplicationBuilder app) =>
        app.UseExceptionHandler().UseStatusCodePages();
}
