using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// Mints the short-lived tokens one WearIt service shows another's internal endpoints: audience
/// <c>wearit-internal</c>, role <c>service</c>, HS256 with <c>Jwt:ServiceSigningKey</c> (a key of their own), so a
/// user's token can never pass for one and a service token's key cannot mint a user token.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    /// <summary>The audience of service tokens.</summary>
    public const string Audience = "wearit-internal";

    /// <summary>The role every service token carries.</summary>
    public const string Role = "service";

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>A token naming <paramref name="serviceName"/> as its subject, valid for five minutes.</summary>
    public string CreateToken(string serviceName) =>
        JwtWriter.Write(options.Value.Issuer, Audience, [new Claim("sub", serviceName), new Claim("role", Role)], time.GetUtcNow().UtcDateTime, Lifetime,
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.ServiceSigningKey)), SecurityAlgorithms.HmacSha256));
}
