using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Support;

/// <summary>User access tokens as ApiService issues them (ES256), signed with the test services' user-token key.</summary>
public static class TestTokens
{
    private static readonly ECDsaSecurityKey Key = UserTokenKeys.FromSecret(EmbeddedServiceFactory<WearIt.TryonService.TryonServiceAssembly>.SigningKey);

    public static string User(Guid userId, string role = "user", string audience = "wearit") =>
        JwtWriter.Write("wearit", audience, [new Claim("sub", userId.ToString()), new Claim("role", role)], DateTime.UtcNow, TimeSpan.FromMinutes(15),
            new SigningCredentials(Key, UserTokenKeys.Algorithm));
}
