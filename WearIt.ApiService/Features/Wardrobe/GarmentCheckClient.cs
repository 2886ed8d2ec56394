using System.Net.Http.Headers;
using System.Net.Http.Json;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>TryonService's reading of a garment image: <c>ready</c> or <c>rejected</c> with a code such as <c>garment_not_found</c>.</summary>
public sealed record GarmentCheck(string Status, string? Code, string? Message, bool Worn, int Sleeves);

/// <summary>Asks TryonService, where the vision models are, whether a stored garment image can be tried on.</summary>
public interface IGarmentCheckClient
{
    Task<GarmentCheck> CheckAsync(string imageKey, string clothType, CancellationToken cancellationToken);
}

/// <summary>The HTTP client of TryonService's garment check (<c>http://tryonservice</c>), with a service token.</summary>
public sealed class GarmentCheckClient(HttpClient http, ServiceTokenIssuer serviceTokens) : IGarmentCheckClient
{
    public async Task<GarmentCheck> CheckAsync(string imageKey, string clothType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/v1/garments/analysis") { Content = JsonContent.Create(new { imageKey, clothType }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("apiservice"));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"TryonService answered {(int)response.StatusCode} to the garment check.");
            }

            return await response.Content.ReadFromJsonAsync<GarmentCheck>(cancellationToken) ?? throw Unavailable("TryonService gave no answer to the garment check.");
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable($"TryonService cannot be reached: {ex.Message}");
        }
    }

    private static DomainException Unavailable(string detail) => new(ErrorKind.DependencyUnavailable, "dependency_unavailable", detail);
}
