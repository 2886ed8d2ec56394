using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.Tests.Support;

/// <summary>User access tokens as ApiService issues them, signed with the test services' key.</summary>
public static class TestTokens
{
    public static string User(Guid userId, string role = "user", string audience = "wearit") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "wearit",
        Audience = audience,
        Claims = new Dictionary<string, object> { ["sub"] = userId.ToString(), ["role"] = role },
        Expires = DateTime.UtcNow.AddMinutes(15),
        SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(EmbeddedServiceFactory<WearIt.TryonService.TryonServiceAssembly>.SigningKey)), SecurityAlgorithms.HmacSha256),
    });
}
