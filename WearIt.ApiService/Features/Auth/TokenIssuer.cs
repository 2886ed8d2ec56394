using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Issues access tokens (ES256 JWTs, see <see cref="UserTokenKeys"/>) and refresh tokens (random, stored hashed).</summary>
public sealed class TokenIssuer(
    IOptions<JwtOptions> jwt, UserTokenSigningKey signingKey, IOptions<AuthOptions> auth, IRefreshTokenRepository refreshTokens, TimeProvider time)
{
    /// <summary>The claim naming the refresh-token family (the login session) an access token belongs to.</summary>
    public const string SessionClaim = "sid";

    /// <summary>Starts a new session for the user: a new refresh-token family.</summary>
    public Task<TokenResponse> StartSessionAsync(User user, CancellationToken cancellationToken) =>
        IssueAsync(user, Guid.NewGuid(), time.GetUtcNow().UtcDateTime, cancellationToken);

    /// <summary>
    /// Issues the next token pair of an existing session (with the user's current role); the refresh token never
    /// outlives the session's absolute lifetime.
    /// </summary>
    public async Task<TokenResponse> IssueAsync(User user, Guid familyId, DateTime sessionStartedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var options = jwt.Value;
        var accessToken = AccessToken(user, familyId, now, options.AccessTokenLifetime);

        var refreshToken = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await refreshTokens.InsertAsync(new RefreshToken
        {
            Id = HashRefreshToken(refreshToken),
            UserId = user.Id,
            FamilyId = familyId,
            CreatedAt = now,
            SessionStartedAt = sessionStartedAt,
            ExpiresAt = Min(now.Add(auth.Value.RefreshTokenLifetime), sessionStartedAt.Add(auth.Value.SessionLifetime)),
        }, cancellationToken);

        return new TokenResponse(accessToken, "bearer", (int)options.AccessTokenLifetime.TotalSeconds, refreshToken);
    }

    /// <summary>An access token of an existing session with a lifetime of its own, and no refresh token.</summary>
    public TokenResponse IssueAccessToken(User user, Guid familyId, TimeSpan lifetime) =>
        new(AccessToken(user, familyId, time.GetUtcNow().UtcDateTime, lifetime), "bearer", (int)lifetime.TotalSeconds, null);

    private string AccessToken(User user, Guid familyId, DateTime now, TimeSpan lifetime)
    {
        var options = jwt.Value;
        return JwtWriter.Write(options.Issuer, options.Audience,
            [
                new Claim("sub", user.Id.ToString()),
                new Claim("email", user.Email),
                new Claim("role", user.Role),
                new Claim(SessionClaim, familyId.ToString()),
                new Claim("jti", Guid.NewGuid().ToString("N")),
                // iat is whole seconds; a revocation must tell a token from just before it from the login just after.
                new Claim(SessionRevocations.IssuedAtMillisecondsClaim, new DateTimeOffset(now).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            ],
            now, lifetime, signingKey.Credentials);
    }

    /// <summary>The stored form of a refresh token.</summary>
    public static string HashRefreshToken(string refreshToken) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    private static DateTime Min(DateTime a, DateTime b) => a <= b ? a : b;
}
