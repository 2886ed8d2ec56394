using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.TryonService.Features.BodyAnalysis;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// What TryonService learns of a body from ApiService: its photo, whether its analysis is done (<c>processing</c>,
/// <c>ready</c> or <c>rejected</c> with a reason) and the analysis itself.
/// </summary>
public sealed record BodyInfo(Guid Id, string ImageKey, int Width, int Height, string Status = "ready", string? RejectionCode = null, string? RejectionMessage = null, BodyAnalysisSnapshot? Analysis = null);

/// <summary>What TryonService learns of a garment from ApiService.</summary>
public sealed record GarmentInfo(Guid Id, string Source, string ClothType, string ImageKey, string Title = "");

/// <summary>ApiService's internal endpoints, called on a user's behalf with a service token.</summary>
public interface IApiServiceClient
{
    Task<BodyInfo> GetBodyAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken);

    Task<GarmentInfo> GetGarmentAsync(Guid userId, string source, Guid id, CancellationToken cancellationToken);

    /// <summary>Spends one credit for the job (idempotent by job id); 402 becomes <c>credits_exhausted</c>.</summary>
    Task SpendCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken);

    /// <summary>Refunds the job's credit (idempotent by job id).</summary>
    Task RefundCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken);

    /// <summary>Whether a credit was spent for the job (a spend whose answer was lost is found this way).</summary>
    Task<bool> WasChargedAsync(Guid userId, Guid jobId, CancellationToken cancellationToken);
}

/// <summary>The HTTP client of ApiService (<c>http://apiservice</c> through service discovery, with resilience).</summary>
public sealed class ApiServiceClient(HttpClient http, ServiceTokenIssuer serviceTokens) : IApiServiceClient
{
    public async Task<BodyInfo> GetBodyAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        var body = await GetAsync<InternalBody>($"/internal/v1/users/{userId}/bodies/{bodyId}", "The body photo", cancellationToken);
        return new BodyInfo(body.Id, body.ImageKey, body.Width, body.Height, body.Status, body.RejectionCode, body.RejectionMessage, body.Analysis);
    }

    public async Task<GarmentInfo> GetGarmentAsync(Guid userId, string source, Guid id, CancellationToken cancellationToken)
    {
        var garment = await GetAsync<InternalGarment>($"/internal/v1/users/{userId}/garments/{source}/{id}", "The garment", cancellationToken);
        return new GarmentInfo(garment.Id, garment.Source, garment.ClothType, garment.ImageKey, garment.Title ?? "");
    }

    public Task SpendCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"/internal/v1/users/{userId}/credits/spend", jobId, cancellationToken);

    public Task RefundCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"/internal/v1/users/{userId}/credits/refund", jobId, cancellationToken);

    public async Task<bool> WasChargedAsync(Guid userId, Guid jobId, CancellationToken cancellationToken) =>
        (await GetAsync<JobSpend>($"/internal/v1/users/{userId}/credits/spends/{jobId}", "The spend", cancellationToken)).Spent;

    private async Task<T> GetAsync<T>(string path, string what, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw DomainException.NotFound(what);
        }

        await EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken) ?? throw Unavailable();
    }

    private async Task PostAsync(string path, Guid jobId, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, path);
        request.Content = JsonContent.Create(new { jobId = jobId.ToString() });
        using var response = await SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.PaymentRequired)
        {
            throw new DomainException(ErrorKind.PaymentRequired, "credits_exhausted", "You have no credits left.");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // A refund of a job that was never charged (or a user that is gone): final, not a passing failure.
            throw new DomainException(ErrorKind.NotFound, "spend_not_found", "No credit was spent for this job.");
        }

        await EnsureSuccessAsync(response);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", serviceTokens.CreateToken("tryonservice"));
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new DomainException(ErrorKind.DependencyUnavailable, "dependency_unavailable", $"ApiService cannot be reached: {ex.Message}");
        }
    }

    private static Task EnsureSuccessAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? Task.CompletedTask : throw Unavailable($"ApiService answered {(int)response.StatusCode}.");

    private static DomainException Unavailable(string detail = "ApiService gave no answer.") =>
        new(ErrorKind.DependencyUnavailable, "dependency_unavailable", detail);

    private sealed record InternalBody(Guid Id, string ImageKey, int Width, int Height, string Status, string? RejectionCode, string? RejectionMessage, BodyAnalysisSnapshot? Analysis);

    private sealed record JobSpend(string JobId, bool Spent, bool Refunded);

    private sealed record InternalGarment(Guid Id, string Source, string ClothType, string ImageKey, string? Title);
}
