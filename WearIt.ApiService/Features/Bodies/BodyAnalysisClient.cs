using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>TryonService's answer about one photo: <c>ready</c> with the analysis and its masks, or <c>rejected</c> and why.</summary>
public sealed record BodyAnalysisOutcome(string Status, string? Code, string? Message, BodyAnalysis? Analysis, BodyAnalysisMasks? Masks);

/// <summary>The four masks of an analysis, as PNGs: the person, and the regions of an upper, a lower and a full-length garment.</summary>
public sealed record BodyAnalysisMasks(byte[] Person, byte[] Upper, byte[] Lower, byte[] Full);

/// <summary>Asks TryonService, where the vision models are, to analyse a stored body photo.</summary>
public interface IBodyAnalysisClient
{
    Task<BodyAnalysisOutcome> AnalyseAsync(Guid userId, Guid bodyId, string imageKey, CancellationToken cancellationToken);
}

/// <summary>The HTTP client of TryonService's analysis endpoint (<c>http://tryonservice</c>), with a service token.</summary>
public sealed class BodyAnalysisClient(HttpClient http, ServiceTokenIssuer serviceTokens) : IBodyAnalysisClient
{
    public async Task<BodyAnalysisOutcome> AnalyseAsync(Guid userId, Guid bodyId, string imageKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/internal/v1/users/{userId}/bodies/{bodyId}/analysis")
        {
            Content = JsonContent.Create(new { imageKey }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("apiservice"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Unavailable($"TryonService cannot be reached: {ex.Message}");
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw DomainException.NotFound("The body photo");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"TryonService answered {(int)response.StatusCode} to the photo's analysis.");
            }

            var outcome = await response.Content.ReadFromJsonAsync<BodyAnalysisOutcome>(cancellationToken);
            return outcome is { Status: BodyStatus.Ready, Analysis: not null, Masks: not null } or { Status: BodyStatus.Rejected }
                ? outcome
                : throw Unavailable("TryonService's analysis answer was incomplete.");
        }
    }

    private static DomainException Unavailable(string detail) => new(ErrorKind.DependencyUnavailable, "dependency_unavailable", detail);
}
