using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WearIt.Tests.Support;

namespace WearIt.Tests.Accounts;

/// <summary>ApiService publishes the public key of user tokens (OpenID metadata and a JWKS) and nothing private.</summary>
public sealed class TokenKeysTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePublishedKeyChecksIssuedTokensAndHoldsNoPrivatePart()
    {
        var account = await api.SignupAsync();

        using var metadata = await api.Http.GetAsync("/.well-known/openid-configuration", Cancellation);
        var document = await ApiServiceFixture.ReadAsync(metadata, HttpStatusCode.OK);
        var jwksUri = new Uri(document.GetProperty("jwks_uri").GetString()!);
        using var keys = await api.Http.GetAsync(jwksUri.PathAndQuery, Cancellation);
        var json = await keys.Content.ReadAsStringAsync(Cancellation);
        var set = new JsonWebKeySet(json);
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(account.AccessToken, new TokenValidationParameters
        {
            ValidIssuer = document.GetProperty("issuer").GetString(),
            ValidAudience = "wearit",
            IssuerSigningKeys = set.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        });

        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var key = Assert.Single(set.Keys);
        Assert.Equal(("EC", "P-256", "ES256"), (key.Kty, key.Crv, key.Alg));
        Assert.Null(key.D);
        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
    }
}
