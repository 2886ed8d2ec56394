using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;

namespace WearIt.ServiceDefaults.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and, in Development, the Scalar UI at <c>/scalar</c>.</summary>
public static class OpenApiSetup
{
    /// <summary>Adds the OpenAPI document generator.</summary>
    public static IServiceCollection AddWearItOpenApi(this IServiceCollection services, string title) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = title;
            document.Info.Version = "v1";
            return Task.CompletedTask;
        }));

    /// <summary>Maps the document everywhere and the Scalar UI in Development.</summary>
    public static WebApplication MapWearItOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
