using System.Security.Claims;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Platform;

/// <summary>
/// The validated-token cache (issue 13): a user token's signature is checked once, each request still gets an identity
/// of its own, a token that failed is checked again every time, and a remembered token is forgotten when it expires.
/// </summary>
public sealed class CachingJsonWebTokenHandlerTests
{
    private const string SigningKey = "caching-handler-tests-key-0123456789-abcdefghijklmnop";
    private static readonly ECDsaSecurityKey Key = UserTokenKeys.FromSecret(SigningKey);

    [Fact]
    public async Task ATokensSignatureIsCheckedOnceAndEachValidationGetsItsOwnIdentity()
    {
        using var handler = new CachingJsonWebTokenHandler { MapInboundClaims = false };
        var (parameters, signatureChecks) = CountingSignatureChecks();
        var token = CreateToken(DateTime.UtcNow.AddMinutes(15));

        var first = await handler.ValidateTokenAsync(token, parameters);
        first.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var second = await handler.ValidateTokenAsync(token, parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, signatureChecks());
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("user-1", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(["user"], second.ClaimsIdentity.FindAll("role").Select(claim => claim.Value));
    }

    [Fact]
    public async Task ATokenThatFailedIsCheckedAgainEveryTime()
    {
        using var handler = new CachingJsonWebTokenHandler { MapInboundClaims = false };
        var parameters = Parameters(UserTokenKeys.FromSecret("another-key-that-is-also-long-enough-0123456789"));
        var token = CreateToken(DateTime.UtcNow.AddMinutes(15));

        var first = await handler.ValidateTokenAsync(token, parameters);
        var second = await handler.ValidateTokenAsync(token, parameters);
        var withTheRightKey = await handler.ValidateTokenAsync(token, Parameters(Key));

        Assert.False(first.IsValid);
        Assert.False(second.IsValid);
        Assert.True(withTheRightKey.IsValid);
    }

    [Fact]
    public async Task ARememberedTokenIsForgottenWhenItExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var handler = new CachingJsonWebTokenHandler(clock) { MapInboundClaims = false };
        var (parameters, signatureChecks) = CountingSignatureChecks();
        var token = CreateToken(clock.GetUtcNow().UtcDateTime.AddMinutes(5));

        await handler.ValidateTokenAsync(token, parameters);
        clock.Advance(TimeSpan.FromMinutes(5) + parameters.ClockSkew - TimeSpan.FromSeconds(1));
        await handler.ValidateTokenAsync(token, parameters);
        var beforeExpiry = signatureChecks();
        clock.Advance(TimeSpan.FromSeconds(2));
        await handler.ValidateTokenAsync(token, parameters);

        Assert.Equal(1, beforeExpiry);
        Assert.Equal(2, signatureChecks());
    }

    /// <summary>The real checks, with the signature check counted (it still verifies with the key).</summary>
    private static (TokenValidationParameters Parameters, Func<int> Count) CountingSignatureChecks()
    {
        var count = 0;
        var parameters = Parameters(Key);
        var verifier = new JsonWebTokenHandler();
        var verifying = Parameters(Key);
        parameters.SignatureValidator = (token, _) =>
        {
            Interlocked.Increment(ref count);
            var result = verifier.ValidateTokenAsync(token, verifying).GetAwaiter().GetResult();
            return result.IsValid ? (SecurityToken)result.SecurityToken : throw new SecurityTokenInvalidSignatureException("Bad signature.");
        };
        return (parameters, () => Volatile.Read(ref count));
    }

    private static TokenValidationParameters Parameters(SecurityKey key) =>
        JwtAuthenticationRegistration.CreateValidationParameters(new JwtOptions { Issuer = "wearit", Audience = "wearit" }, key);

    private static string CreateToken(DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "wearit",
        Audience = "wearit",
        Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["role"] = "user" },
        NotBefore = expires.AddMinutes(-30),
        IssuedAt = expires.AddMinutes(-30),
        Expires = expires,
        SigningCredentials = new SigningCredentials(Key, UserTokenKeys.Algorithm),
    });
}
