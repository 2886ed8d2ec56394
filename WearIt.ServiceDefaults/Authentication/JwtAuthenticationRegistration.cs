using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>JWT bearer validation shared by both services: HS256 only, issuer, audience and lifetime checked.</summary>
public static class JwtAuthenticationRegistration
{
    /// <summary>The query parameter a WebSocket client puts its token in (browsers cannot set headers there).</summary>
    public const string AccessTokenQueryParameter = "access_token";

    /// <summary>The scheme that accepts service tokens (audience <c>wearit-internal</c>) and nothing else.</summary>
    public const string ServiceScheme = "Service";

    /// <summary>The policy internal endpoints require: a service token.</summary>
    public const string ServicePolicy = "service";

    /// <summary>Adds JWT bearer authentication from the <c>Jwt</c> section and authorization.</summary>
    public static IHostApplicationBuilder AddWearItJwtBearer(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(JwtOptions.SectionName).Get<JwtOptions>() ?? new JwtOptions();
        if (Encoding.UTF8.GetByteCount(options.SigningKey) < JwtOptions.MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{JwtOptions.SectionName}:SigningKey must be at least {JwtOptions.MinimumKeyBytes} bytes; the AppHost supplies it as the 'jwt-signing-key' parameter.");
        }

        builder.Services.Configure<JwtOptions>(builder.Configuration.GetSection(JwtOptions.SectionName));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(bearer =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = CreateValidationParameters(options);
                bearer.Events = new JwtBearerEvents
                {
                    // A user token of an ended session (logout, password change or reset, refresh-token reuse,
                    // account deletion) is refused at once, not when it expires.
                    OnTokenValidated = context =>
                    {
                        if (context.Principal is { } principal
                            && context.HttpContext.RequestServices.GetService<SessionRevocations>()?.Ended(principal) == true)
                        {
                            context.Fail("The session has ended.");
                        }

                        return Task.CompletedTask;
                    },
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.WebSockets.IsWebSocketRequest
                            && context.Request.Query.TryGetValue(AccessTokenQueryParameter, out var token))
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                };
            })
            .AddJwtBearer(ServiceScheme, bearer =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = CreateValidationParameters(options, ServiceTokenIssuer.Audience);
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicy, policy => policy
                .AddAuthenticationSchemes(ServiceScheme)
                .RequireAuthenticatedUser()
                .RequireRole(ServiceTokenIssuer.Role));
        builder.Services.AddSingleton<ServiceTokenIssuer>();
        builder.Services.AddSingleton<SessionRevocations>();
        return builder;
    }

    /// <summary>The checks every user token passes: HS256 with the shared key, issuer, audience, lifetime.</summary>
    public static TokenValidationParameters CreateValidationParameters(JwtOptions options, string? audience = null) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = audience ?? options.Audience,
        IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey)),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
        RoleClaimType = "role",
    };
}
