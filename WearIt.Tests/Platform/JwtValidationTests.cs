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

/// <summary>The shared JWT validation: only HS256 tokens signed with our key, for our issuer and audience, in date.</summary>
public sealed class JwtValidationTests : IAsyncLifetime
{
    private const string SigningKey = "jwt-validation-tests-key-0123456789-abcdefghijklmnop";
    private InMemoryHost _host = null!;

    private HttpClient Http => _host.Http;

    public async ValueTask InitializeAsync() => _host = await InMemoryHost.StartAsync(
        builder =>
        {
            builder.Configuration["Jwt:SigningKey"] = SigningKey;
            builder.Services.AddWearItProblemDetails();
            builder.AddWearItJwtBearer();
        },
        app =>
        {
            app.UseWearItErrorHandling();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/me", (ClaimsPrincipal user) => user.FindFirstValue("sub")).RequireAuthorization();
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
        using var response = await CallAsync(CreateToken(key: "another-key-that-is-also-long-enough-0123456789"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
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

    [Fact]
    public void AShortSigningKeyStopsTheServiceFromStarting()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Jwt:SigningKey"] = "too-short";

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWearItJwtBearer());

        Assert.Contains("Jwt:SigningKey", error.Message);
    }

    private async Task<HttpResponseMessage> CallAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static string CreateToken(string key = SigningKey, string issuer = "wearit", string audience = "wearit", DateTime? expires = null)
    {
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(15);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["role"] = "user" },
            NotBefore = expiry.AddMinutes(-30),
            IssuedAt = expiry.AddMinutes(-30),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
