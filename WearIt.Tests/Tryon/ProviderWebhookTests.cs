using System.Net;
using System.Security.Cryptography;
using System.Text;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Tryon;

/// <summary>TryonService's webhook for Replicate: a signed hint is taken, anything else is a 400 that changes nothing.</summary>
public sealed class ProviderWebhookTests : IAsyncDisposable
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon")
    {
        Settings = new()
        {
            ["WearIt:Tryon:Engine"] = "replicate",
            ["WearIt:Tryon:Replicate:ApiToken"] = "r8_test",
            ["WearIt:Tryon:Replicate:Version"] = "test-version",
            ["WearIt:Tryon:Replicate:WebhookSecret"] = Secret,
            ["WearIt:Tryon:Concurrency"] = "0",
        },
    };

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ASignedWebhookIsTaken()
    {
        using var http = _factory.CreateClient();

        using var response = await http.SendAsync(Webhook("""{"id":"p_123","status":"succeeded"}""", DateTimeOffset.UtcNow), Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Theory]
    [InlineData("tampered")]
    [InlineData("stale")]
    [InlineData("unsigned")]
    public async Task AWebhookThatFailsTheCheckIsA400Problem(string what)
    {
        using var http = _factory.CreateClient();
        var request = Webhook("""{"id":"p_123","status":"succeeded"}""", what == "stale" ? DateTimeOffset.UtcNow.AddMinutes(-6) : DateTimeOffset.UtcNow);
        if (what == "tampered")
        {
            request.Content = new StringContent("""{"id":"p_456","status":"succeeded"}""", Encoding.UTF8, "application/json");
        }
        else if (what == "unsigned")
        {
            request.Headers.Remove("webhook-signature");
        }

        using var response = await http.SendAsync(request, Cancellation);

        var problem = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("webhook_signature_invalid", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task ASignedWebhookThatNamesNoPredictionIsA400Problem()
    {
        using var http = _factory.CreateClient();

        using var response = await http.SendAsync(Webhook("[1,2", DateTimeOffset.UtcNow), Cancellation);

        var problem = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("webhook_invalid", problem.GetProperty("code").GetString());
    }

    private static HttpRequestMessage Webhook(string body, DateTimeOffset at)
    {
        var id = "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(Secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/tryon-providers/replicate")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", $"v1,{signature}");
        return request;
    }
}
