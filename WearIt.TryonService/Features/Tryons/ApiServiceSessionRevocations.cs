using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>TryonService learns of ended sessions from ApiService, which owns them (<c>GET /internal/v1/sessions/revocations</c>).</summary>
public sealed class ApiServiceSessionRevocations(HttpClient http, ServiceTokenIssuer serviceTokens) : ISessionRevocationSource
{
    public async Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"/internal/v1/sessions/revocations?since={Uri.EscapeDataString(since.ToString("O", CultureInfo.InvariantCulture))}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("tryonservice"));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<List<SessionRevocation>>(cancellationToken) ?? [];
    }
}
