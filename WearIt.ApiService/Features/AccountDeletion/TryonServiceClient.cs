using System.Net.Http.Headers;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>Calls TryonService's internal endpoints with a service token.</summary>
public interface ITryonServiceClient
{
    /// <summary>Asks TryonService to delete every try-on and result of the user; throws when it does not confirm.</summary>
    Task DeleteUserDataAsync(Guid userId, CancellationToken cancellationToken);
}

/// <summary>The HTTP client of TryonService, found through service discovery (<c>http://tryonservice</c>).</summary>
public sealed class TryonServiceClient(HttpClient http, ServiceTokenIssuer serviceTokens) : ITryonServiceClient
{
    public async Task DeleteUserDataAsync(Guid userId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/internal/v1/users/{userId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("apiservice"));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
