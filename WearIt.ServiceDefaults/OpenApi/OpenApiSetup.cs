using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace WearIt.ServiceDefaults.OpenApi;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and, in Development, the Scalar UI at <c>/scalar</c>.</summary>
public static class OpenApiSetup
{
    /// <summary>The OAuth2 password-flow scheme the Authorize button uses.</summary>
    public const string OAuth2Scheme = "oauth2";

    /// <summary>The plain bearer scheme, for pasting an access token.</summary>
    public const string BearerScheme = "bearer";

    /// <summary>
    /// Adds the OpenAPI document generator. With <paramref name="passwordTokenUrl"/>, the document offers the OAuth2
    /// password flow against it (the Authorize button logs in); every document also offers a plain bearer token.
    /// </summary>
    public static IServiceCollection AddWearItOpenApi(this IServiceCollection services, string title, string? passwordTokenUrl = null) =>
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = title;
            document.Info.Version = "v1";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/v1/auth/login.",
            };
            var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] };
            if (passwordTokenUrl is not null)
            {
                document.Components.SecuritySchemes[OAuth2Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Flows = new OpenApiOAuthFlows
                    {
                        Password = new OpenApiOAuthFlow { TokenUrl = new Uri(passwordTokenUrl, UriKind.Relative), Scopes = new Dictionary<string, string>() },
                    },
                    Description = "Log in with your email as the username.",
                };
                requirement[new OpenApiSecuritySchemeReference(OAuth2Scheme, document)] = [];
            }

            document.Security = [requirement];
            return Task.CompletedTask;
        }));

    /// <summary>Maps the document everywhere and the Scalar UI in Development.</summary>
    public static WebApplication MapWearItOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(scalar => scalar.AddPreferredSecuritySchemes(OAuth2Scheme, BearerScheme));
        }

        return app;
    }
}
