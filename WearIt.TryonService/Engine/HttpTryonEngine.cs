using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace WearIt.TryonService.Engine;

/// <summary>The <c>WearIt:Tryon:Http</c> section: a hosted try-on API.</summary>
public sealed class HttpTryonEngineOptions
{
    public const string SectionName = "WearIt:Tryon:Http";

    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one try-on may take at the provider before it is failed with <c>provider_timeout</c>.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>
/// Adapts a hosted try-on API: submit (<c>POST /v1/tryons</c> with the images base64-encoded), then poll
/// (<c>GET /v1/tryons/{id}</c>) until it completes or fails. Transient failures (429, 5xx, network) are retried with
/// backoff by the HTTP client's standard resilience handler; the provider's errors become WearIt's codes.
/// </summary>
public sealed class HttpTryonEngine(HttpClient http, IOptions<HttpTryonEngineOptions> options, TimeProvider time) : ITryonEngine
{
    private HttpTryonEngineOptions Options => options.Value;

    public async Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new TryonProgress("validating", 5, null));
        Outfit.Check(request.Garments);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.Timeout);
        try
        {
            var submitted = await SendAsync<SubmitResponse>(HttpMethod.Post, "v1/tryons", new SubmitRequest(
                Convert.ToBase64String(request.BodyPhoto),
                [.. request.Garments.Select(garment => new SubmitGarment(garment.ClothType, Convert.ToBase64String(garment.Image)))],
                request.Mode == TryonMode.Quality ? "quality" : "fast",
                request.Seed), deadline.Token);
            progress.Report(new TryonProgress("submitted", 15, null));

            while (true)
            {
                await Task.Delay(Options.PollInterval, time, deadline.Token);
                var status = await SendAsync<StatusResponse>(HttpMethod.Get, $"v1/tryons/{Uri.EscapeDataString(submitted.Id)}", null, deadline.Token);
                switch (status.Status)
                {
                    case "completed" when status.Output is not null:
                        var image = Convert.FromBase64String(status.Output);
                        using (var bitmap = SkiaSharp.SKBitmap.Decode(image) ?? throw new TryonFailedException("provider_failed", "The provider returned an unreadable image."))
                        {
                            progress.Report(new TryonProgress("done", 100, null));
                            return new TryonResult(image, status.ContentType ?? "image/png", bitmap.Width, bitmap.Height, []);
                        }

                    case "failed":
                        throw MapProviderError(status.Error);
                    default:
                        progress.Report(new TryonProgress("processing", Math.Clamp(15 + (status.Progress ?? 0) * 80 / 100, 15, 95), null));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TryonFailedException("provider_timeout", $"The try-on provider did not finish within {Options.Timeout.TotalSeconds:0} s.");
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(new Uri(Options.BaseUrl!.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TryonFailedException("provider_unavailable", $"The try-on provider cannot be reached: {ex.Message}");
        }

        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new TryonFailedException("provider_auth_failed", "The try-on provider refused WearIt's API key.");
            }

            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                var error = await response.Content.ReadFromJsonAsync<StatusResponse>(cancellationToken);
                throw MapProviderError(error?.Error);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new TryonFailedException("provider_unavailable", $"The try-on provider answered {(int)response.StatusCode}.");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new TryonFailedException("provider_failed", "The try-on provider sent an empty answer.");
        }
    }

    /// <summary>The provider's error codes in WearIt's terms.</summary>
    public static TryonFailedException MapProviderError(ProviderError? error) => error?.Code switch
    {
        "no_person" or "person_not_found" or "face_not_found" => new("no_person_detected", "No person could be found in the photo."),
        "multiple_persons" or "multiple_people" => new("multiple_people", "The photo shows more than one person; use a photo of just you."),
        "invalid_garment" or "garment_not_found" => new("garment_not_found", "The provider could not find a garment in its image."),
        _ => new("provider_failed", $"The try-on provider failed: {error?.Message ?? "no reason given"}."),
    };

    private sealed record SubmitRequest(
        [property: JsonPropertyName("person_image")] string PersonImage,
        [property: JsonPropertyName("garments")] IReadOnlyList<SubmitGarment> Garments,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("seed")] int Seed);

    private sealed record SubmitGarment([property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("image")] string Image);

    private sealed record SubmitResponse([property: JsonPropertyName("id")] string Id);

    private sealed record StatusResponse(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("progress")] int? Progress,
        [property: JsonPropertyName("output")] string? Output,
        [property: JsonPropertyName("content_type")] string? ContentType,
        [property: JsonPropertyName("error")] ProviderError? Error);
}

/// <summary>An error as the provider reports it.</summary>
public sealed record ProviderError([property: JsonPropertyName("code")] string? Code, [property: JsonPropertyName("message")] string? Message);
