using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>JWT bearer validation shared by both services: one algorithm per kind of token, issuer, audience and lifetime checked.</summary>
public static class JwtAuthenticationRegistration
{
    /// <summary>The query parameter a WebSocket client puts its token in (browsers cannot set headers there).</summary>
    public const string AccessTokenQueryParameter = "access_token";

    /// <summary>The scheme that accepts service tokens (audience <c>wearit-internal</c>) and nothing else.</summary>
    public const string ServiceScheme = "Service";

    /// <summary>The policy internal endpoints require: a service token.</summary>
    public const string ServicePolicy = "service";

    /// <summary>The named HTTP client that fetches the user-token keys from <see cref="JwtOptions.Authority"/>.</summary>
    public const string KeysClientName = "user-token-keys";

    /// <summary>
    /// Adds JWT bearer authentication from the <c>Jwt</c> section and authorization: user tokens (ES256) checked with
    /// the key <see cref="UserTokenKeys"/> derives from <c>Jwt:SigningKey</c> (ApiService), or with the public key in
    /// <c>Jwt:UserTokenPublicKey</c>, or with the keys published at <c>Jwt:Authority</c> (TryonService); service tokens
    /// (HS256) with <c>Jwt:ServiceSigningKey</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWearItAuthentication(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(JwtOptions.SectionName).Get<JwtOptions>() ?? new JwtOptions();
        RequireLongEnough(options.ServiceSigningKey, "ServiceSigningKey", "service-token-key");
        var userKey = UserTokenValidationKey(options);

        builder.Services.Configure<JwtOptions>(builder.Configuration.GetSection(JwtOptions.SectionName));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(bearer =>
            {
                bearer.MapInboundClaims = false;
                // Nothing reads the token back from the authentication properties: not saving it there spares every
                // request a dictionary and every open socket its entries for the socket's life.
                bearer.SaveToken = false;
                bearer.TokenValidationParameters = CreateValidationParameters(options, userKey);
                // User tokens come with every request: each one's ES256 signature is checked once, not per request.
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new CachingJsonWebTokenHandler { MapInboundClaims = false });
                if (userKey is null)
                {
                    // The keys are read from ApiService's metadata (cached, read again for an unknown key id).
                    bearer.MetadataAddress = $"{options.Authority!.TrimEnd('/')}/.well-known/openid-configuration";
                    bearer.RequireHttpsMetadata = false;
                }

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
                bearer.SaveToken = false;
                bearer.TokenValidationParameters = CreateServiceValidationParameters(options);
            });
        if (userKey is null)
        {
            // Through service discovery, so "http://apiservice" finds ApiService.
            builder.Services.AddHttpClient(KeysClientName);
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IHttpClientFactory>((bearer, clients) => bearer.Backchannel = clients.CreateClient(KeysClientName));
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicy, policy => policy
                .AddAuthenticationSchemes(ServiceScheme)
                .RequireAuthenticatedUser()
                .RequireRole(ServiceTokenIssuer.Role));
        builder.Services.AddSingleton<ServiceTokenIssuer>();
        builder.Services.AddSingleton<SessionRevocations>();
        return builder;
    }

    /// <summary>The public key user tokens are checked with, or null when it is read from <see cref="JwtOptions.Authority"/>.</summary>
    private static ECDsaSecurityKey? UserTokenValidationKey(JwtOptions options)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            RequireLongEnough(options.SigningKey, "SigningKey", "jwt-signing-key");
            return UserTokenKeys.PublicOf(UserTokenKeys.FromSecret(options.SigningKey));
        }

        if (!string.IsNullOrWhiteSpace(options.UserTokenPublicKey))
        {
            return UserTokenKeys.FromPublicPem(options.UserTokenPublicKey);
        }

        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException(
                $"User tokens cannot be checked: set {JwtOptions.SectionName}:SigningKey (ApiService), {JwtOptions.SectionName}:UserTokenPublicKey "
                + $"or {JwtOptions.SectionName}:Authority (an absolute URL such as http://apiservice).");
        }

        return null;
    }

    private static void RequireLongEnough(string key, string name, string parameter)
    {
        if (Encoding.UTF8.GetByteCount(key) < JwtOptions.MinimumKeyBytes)
        {
            throw new InvalidOperationException(
                $"{JwtOptions.SectionName}:{name} must be at least {JwtOptions.MinimumKeyBytes} bytes; the AppHost supplies it as the '{parameter}' parameter.");
        }
    }

    /// <summary>The checks every user token passes: ES256 with the user-token key, issuer, audience, lifetime.</summary>
    public static TokenValidationParameters CreateValidationParameters(JwtOptions options, SecurityKey? userKey) =>
        Parameters(options.Issuer, options.Audience, userKey, UserTokenKeys.Algorithm);

    /// <summary>The checks every service token passes: HS256 with the service key, issuer, the internal audience, lifetime.</summary>
    public static TokenValidationParameters CreateServiceValidationParameters(JwtOptions options) =>
        Parameters(options.Issuer, ServiceTokenIssuer.Audience, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.ServiceSigningKey)), SecurityAlgorithms.HmacSha256);

    private static TokenValidationParameters Parameters(string issuer, string audience, SecurityKey? key, string algorithm) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = audience,
        IssuerSigningKey = key,
        ValidAlgorithms = [algorithm],
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
