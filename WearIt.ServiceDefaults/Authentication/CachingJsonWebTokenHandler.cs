using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>
/// JSON web token validation that checks an ES256 signature once per token rather than once per request: a token that
/// passed every check is remembered (by its exact text) until it expires, and a request that brings it again gets a
/// copy of the identity it was validated to. Verifying a P-256 signature was a third of what a request to
/// <c>/users/me</c> cost (issue 13); what a request checks after validation still runs on every request (an ended
/// session is refused by <c>OnTokenValidated</c>, which is not cached).
/// </summary>
/// <remarks>
/// One instance serves one authentication scheme, whose validation parameters (issuer, audience, algorithm, keys) do
/// not change, so the token's text is the whole key. A token signed with a key later withdrawn from the published set
/// keeps working until it expires (minutes), as it would on a server that read the keys at start. Failed validations
/// are never remembered; at most <see cref="Capacity"/> tokens are.
/// </remarks>
public sealed class CachingJsonWebTokenHandler : JsonWebTokenHandler, IDisposable
{
    /// <summary>How many validated tokens are remembered at most (a token is about half a kilobyte).</summary>
    public const int Capacity = 10_000;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.25 });
    private readonly TimeProvider _time;

    /// <summary>
    /// Creates the handler. The lifetime check of the base handler reads the system clock, so that is the default
    /// <paramref name="time"/> a remembered token's expiry is checked against (tests pass their own).
    /// </summary>
    public CachingJsonWebTokenHandler(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        ArgumentNullException.ThrowIfNull(validationParameters);
        var now = _time.GetUtcNow().UtcDateTime;
        if (token is not null && _validated.TryGetValue(token, out Validated? remembered) && remembered is not null)
        {
            if (remembered.Expires > now)
            {
                return remembered.ToResult();
            }

            _validated.Remove(token);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity && jwt.ValidTo != DateTime.MinValue)
        {
            // The same margin the lifetime check allows, so a cached token lives exactly as long as a checked one.
            var expires = jwt.ValidTo + validationParameters.ClockSkew;
            if (expires > now)
            {
                _validated.Set(token!, new Validated(identity.Clone(), jwt, result.Issuer, result.TokenType, expires), new MemoryCacheEntryOptions
                {
                    AbsoluteExpiration = new DateTimeOffset(expires, TimeSpan.Zero),
                    Size = 1,
                });
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _validated.Dispose();

    /// <summary>What a successful validation produced; each request gets its own copy of the identity.</summary>
    private sealed record Validated(ClaimsIdentity Identity, JsonWebToken Token, string Issuer, string TokenType, DateTime Expires)
    {
        public TokenValidationResult ToResult() => new()
        {
            IsValid = true,
            ClaimsIdentity = Identity.Clone(),
            SecurityToken = Token,
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
