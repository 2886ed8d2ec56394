using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Gateway.Mobile;

/// <summary>
/// Calls the services' own public APIs for the mobile v1 routes, by service name (service discovery), as the app's user:
/// its bearer token goes along, and the app's address in <c>X-Forwarded-For</c> (the services believe it from the
/// gateway only, so their rate limits count the app, not the gateway). A service's problem becomes a <see cref="MobileProblem"/>.
/// </summary>
public sealed class WearItServices(IHttpClientFactory clients, ServiceTokenIssuer serviceTokens)
{
    public const string Api = "apiservice", Tryon = "tryonservice";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends one request as the app's user (or, with <paramref name="bearer"/>, with that token) and returns the JSON answer (default for an empty one).</summary>
    public async Task<JsonElement> SendAsync(
        HttpContext caller, string service, HttpMethod method, string path, HttpContent? content = null, string? bearer = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        Forward(caller, request.Headers);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        else if (caller.Request.Headers.Authorization is { Count: > 0 } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
        }

        return await SendAsync(service, request, cancellationToken);
    }

    /// <summary>Sends one request with a service token (an internal route).</summary>
    public async Task<JsonElement> SendAsServiceAsync(HttpContext caller, string service, HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, options: Json) };
        Forward(caller, request.Headers);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("gateway"));
        return await SendAsync(service, request, cancellationToken);
    }

    public static JsonContent JsonBody(object body) => JsonContent.Create(body, options: Json);

    /// <summary>The headers a service reads the app's address and the public origin from.</summary>
    public static void Forward(HttpContext caller, HttpHeaders headers)
    {
        if (caller.Connection.RemoteIpAddress is { } address)
        {
            headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
        }

        headers.TryAddWithoutValidation("X-Forwarded-Proto", caller.Request.Scheme);
        headers.TryAddWithoutValidation("X-Forwarded-Host", caller.Request.Host.ToString());
    }

    private async Task<JsonElement> SendAsync(string service, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(service);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException)
        {
            throw MobileProblem.Unavailable(service);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the app going away.
            throw MobileProblem.Unavailable(service);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await MobileProblem.FromUpstreamAsync(response, cancellationToken);
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (text.Length == 0)
            {
                return default;
            }

            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }
}
