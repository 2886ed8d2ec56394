using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Auth;

/// <summary>The private ES256 key ApiService signs user tokens with, derived once from <c>Jwt:SigningKey</c>.</summary>
public sealed class UserTokenSigningKey(IOptions<JwtOptions> jwt)
{
    private readonly Lazy<ECDsaSecurityKey> _key = new(() => UserTokenKeys.FromSecret(jwt.Value.SigningKey));

    public ECDsaSecurityKey Key => _key.Value;

    public SigningCredentials Credentials => new(Key, UserTokenKeys.Algorithm);
}

/// <summary>
/// The public half of the user-token key, where validators find it: OpenID discovery metadata and a JWKS. Public by
/// nature (a public key signs nothing); TryonService reads them through service discovery.
/// </summary>
public static class UserTokenKeysEndpoints
{
    public const string MetadataPath = "/.well-known/openid-configuration";
    public const string KeysPath = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapUserTokenKeys(this IEndpointRouteBuilder app)
    {
        app.MapGet(MetadataPath, (HttpRequest request, IOptions<JwtOptions> jwt) => TypedResults.Ok(new Dictionary<string, object>
            {
                ["issuer"] = jwt.Value.Issuer,
                ["jwks_uri"] = $"{request.Scheme}://{request.Host}{request.PathBase}{KeysPath}",
                ["id_token_signing_alg_values_supported"] = new[] { UserTokenKeys.Algorithm },
            }))
            .WithTags("Auth").WithName("TokenMetadata").WithSummary("Where the public key of user access tokens is (OpenID discovery).");
        app.MapGet(KeysPath, (UserTokenSigningKey signing) => TypedResults.Ok(new { keys = new[] { UserTokenKeys.ToJwk(signing.Key) } }))
            .WithTags("Auth").WithName("TokenKeys").WithSummary("The public key (JWKS) that checks user access tokens: ES256.");
        return app;
    }
}
