using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Support;

/// <summary>User access tokens as ApiService issues them (ES256), signed with the test services' user-token key.</summary>
public static class TestTokens
{
    private static readonly ECDsaSecurityKey Key = UserTokenKeys.FromSecret(EmbeddedServiceFactory<WearIt.TryonService.TryonServiceAssembly>.SigningKey);

    public static string User(Guid userId, string role = "user", string audience = "wearit") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "wearit",
        Audience = audience,
        Claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = role },
        Expires = DateTime.UtcNow.AddMinutes(15),
        SigningCredentials = new SigningCredentials(Key, UserTokenKeys.Algorithm),
    });
}
