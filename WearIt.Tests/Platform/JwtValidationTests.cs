using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.Tests.Support;

namespace WearIt.Tests.Platform;

/// <summary>
/// The shared JWT validation: user tokens only ES256 with ApiService's key, service tokens only HS256 with the service
/// key, each for our issuer and its audience, in date; neither key makes the other kind of token.
/// </summary>
public sealed class JwtValidationTests : IAsyncLifetime
{
    private const string SigningKey = "jwt-validation-tests-key-0123456789-abcdefghijklmnop";
    private const string ServiceKey = "jwt-validation-tests-service-key-0123456789-abcdefghijklmnop";
    private InMemoryHost _host = null!;

    private HttpClient Http => _host.Http;

    public async ValueTask InitializeAsync() => _host = await InMemoryHost.StartAsync(
        builder =>
        {
            builder.Configuration["Jwt:SigningKey"] = SigningKey;
            builder.Configuration["Jwt:ServiceSigningKey"] = ServiceKey;
            builder.Services.AddWearItProblemDetails();
            builder.AddWearItAuthentication();
        },
        app =>
        {
            app.UseWearItErrorHandling();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
            app.MapGet("/internal", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy);
        });

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task AValidTokenIdentifiesItsSubject()
    {
        using var response = await CallAsync(CreateToken());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user-1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task NoTokenIsA401Problem()
    {
        using var response = await CallAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnsignedAlgNoneTokenIsRefused()
    {
        var header = Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var payload = Base64Url($"{{\"sub\":\"user-1\",\"iss\":\"wearit\",\"aud\":\"wearit\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}");

        using var response = await CallAsync($"{header}.{payload}.");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsRefused()
    {
        using var response = await CallAsync(CreateToken(key: UserTokenKeys.FromSecret("another-key-that-is-also-long-enough-0123456789")));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(ServiceKey)]
    [InlineData(SigningKey)]
    public async Task AnHs256UserTokenIsRefusedWhicheverSecretMadeIt(string secret)
    {
        using var response = await CallAsync(CreateToken(key: new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AServiceTokenPassesTheServicePolicyAndIsNoUserToken()
    {
        var token = CreateToken(key: new SymmetricSecurityKey(Encoding.UTF8.GetBytes(ServiceKey)), audience: ServiceTokenIssuer.Audience, role: ServiceTokenIssuer.Role);

        using var asService = await CallAsync(token, "/internal");
        using var asUser = await CallAsync(token);

        Assert.Equal(HttpStatusCode.OK, asService.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, asUser.StatusCode);
    }

    [Fact]
    public async Task AServiceTokenMadeWithTheUserKeyIsRefused()
    {
        using var ecdsa = await CallAsync(CreateToken(audience: ServiceTokenIssuer.Audience, role: ServiceTokenIssuer.Role), "/internal");
        using var hmac = await CallAsync(CreateToken(key: new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), audience: ServiceTokenIssuer.Audience, role: ServiceTokenIssuer.Role), "/internal");

        Assert.Equal(HttpStatusCode.Unauthorized, ecdsa.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hmac.StatusCode);
    }

    [Fact]
    public async Task AServiceGivenOnlyThePublicKeyAcceptsApiServicesTokens()
    {
        await using var validator = await InMemoryHost.StartAsync(
            builder =>
            {
                builder.Configuration["Jwt:UserTokenPublicKey"] = UserTokenKeys.FromSecret(SigningKey).ECDsa.ExportSubjectPublicKeyInfoPem();
                builder.Configuration["Jwt:ServiceSigningKey"] = ServiceKey;
                builder.Services.AddWearItProblemDetails();
                builder.AddWearItAuthentication();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
            });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", CreateToken()) } };

        using var response = await validator.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        using var response = await CallAsync(CreateToken(expires: DateTime.UtcNow.AddMinutes(-5)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("wearit", "wearit-internal")]
    [InlineData("someone-else", "wearit")]
    public async Task AWrongIssuerOrAudienceIsRefused(string issuer, string audience)
    {
        using var response = await CallAsync(CreateToken(issuer: issuer, audience: audience));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ATamperedPayloadIsRefused()
    {
        var parts = CreateToken().Split('.');
        var forged = Base64Url($"{{\"sub\":\"admin\",\"iss\":\"wearit\",\"aud\":\"wearit\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}");

        using var response = await CallAsync($"{parts[0]}.{forged}.{parts[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheAccessTokenQueryParameterIsIgnoredOutsideWebSockets()
    {
        using var response = await Http.GetAsync($"/me?access_token={CreateToken()}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("too-short", ServiceKey, "Jwt:SigningKey")]
    [InlineData(SigningKey, "too-short", "Jwt:ServiceSigningKey")]
    [InlineData(null, ServiceKey, "Jwt:Authority")]
    public void AMissingOrShortKeyStopsTheServiceFromStarting(string? signingKey, string serviceKey, string named)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Jwt:SigningKey"] = signingKey;
        builder.Configuration["Jwt:ServiceSigningKey"] = serviceKey;
        builder.Configuration["Jwt:UserTokenPublicKey"] = "";
        builder.Configuration["Jwt:Authority"] = "";

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWearItAuthentication());

        Assert.Contains(named, error.Message);
    }

    private async Task<HttpResponseMessage> CallAsync(string? token, string path = "/me")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string CreateToken(SecurityKey? key = null, string issuer = "wearit", string audience = "wearit", DateTime? expires = null, string role = "user")
    {
        key ??= UserTokenKeys.FromSecret(SigningKey);
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(15);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["role"] = role },
            NotBefore = expiry.AddMinutes(-30),
            IssuedAt = expiry.AddMinutes(-30),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(key, key is SymmetricSecurityKey ? SecurityAlgorithms.HmacSha256 : UserTokenKeys.Algorithm),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
