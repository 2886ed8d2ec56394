using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// The one place WearIt writes a JWT (user access tokens and service tokens alike): its issuer and audience, its
/// claims, issued and valid from <c>now</c> until <c>now + lifetime</c>, signed with the given credentials.
/// </summary>
public static class JwtWriter
{
    // CreateToken keeps no per-call state: one handler serves every thread.
    private static readonly JsonWebTokenHandler Handler = new();

    public static string Write(string issuer, string audience, IEnumerable<Claim> claims, DateTime now, TimeSpan lifetime, SigningCredentials credentials) =>
        Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.Add(lifetime),
            SigningCredentials = credentials,
        });
}
