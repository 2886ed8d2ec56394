using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>The <c>WearIt:Tryon:Fashn</c> section: a FASHN API v1 account.</summary>
public sealed class FashnOptions
{
    public const string SectionName = "WearIt:Tryon:Fashn";

    public string BaseUrl { get; set; } = "https://api.fashn.ai";

    /// <summary>The API key (AppHost secret parameter <c>fashn-api-key</c>).</summary>
    public string? ApiKey { get; set; }

    public string ModelName { get; set; } = "tryon-v1.6";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);
}

/// <summary>
/// FASHN's API v1 (docs.fashn.ai): <c>POST /v1/run</c> with <c>{model_name, inputs}</c> answers <c>{id, error}</c>;
/// <c>GET /v1/status/{id}</c> answers <c>{id, status, output, error: {name, message}}</c>. Errors before an id exists
/// come as <c>{error: NAME, message}</c> with the HTTP status; runtime errors as <c>status: failed</c>. FASHN has no
/// cancel call, and its 429 says nothing of when to come back (the engine backs off on its own).
/// </summary>
public sealed class FashnProvider(HttpClient http, IOptions<FashnOptions> options) : IHostedProvider
{
    public const string ProviderName = "fashn";

    private FashnOptions Options => options.Value;

    public string Name => ProviderName;

    public TimeSpan PollInterval => Options.PollInterval;

    public TimeSpan Timeout => Options.Timeout;

    /// <summary>WearIt's cloth types in FASHN's categories.</summary>
    public static string Category(string clothType) => clothType switch
    {
        "upper" => "tops",
        "lower" => "bottoms",
        _ => "one-pieces",
    };

    public async Task<ProviderPrediction> CreateAsync(ProviderInputs inputs, Uri? webhook, CancellationToken cancellationToken)
    {
        var path = webhook is null ? "v1/run" : $"v1/run?webhook_url={Uri.EscapeDataString(webhook.ToString())}";
        using var request = Request(HttpMethod.Post, path);
        request.Content = JsonContent.Create(new RunRequest(Options.ModelName, new RunInputs(
            inputs.PersonImage, inputs.GarmentImage, Category(inputs.ClothType), inputs.Mode == TryonMode.Quality ? "quality" : "performance", inputs.Seed, "png")));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await ReadAsync<RunResponse>(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && body?.Error is "RateLimitExceeded" or "ConcurrencyLimitExceeded")
        {
            throw new ProviderRateLimitedException($"FASHN: {body.Error}", retryAfter: null, id: string.IsNullOrEmpty(body.Id) ? null : body.Id);
        }

        if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(body?.Id))
        {
            throw Failure(body?.Error ?? ((int)response.StatusCode >= 500 ? "InternalServerError" : "BadRequest"), body?.Message, response.StatusCode);
        }

        return new ProviderPrediction(body.Id, ProviderState.Queued);
    }

    public async Task<ProviderPrediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"v1/status/{Uri.EscapeDataString(id)}");
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ProviderRateLimitedException("FASHN: too many status reads", retryAfter: null);
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadAsync<RunResponse>(response, cancellationToken);
            throw Failure(error?.Error ?? ((int)response.StatusCode >= 500 ? "InternalServerError" : "NotFound"), error?.Message, response.StatusCode);
        }

        var status = await ReadAsync<StatusResponse>(response, cancellationToken)
            ?? throw new TryonFailedException("provider_failed", "FASHN sent an empty status.", retryable: true);
        return status.Status switch
        {
            "starting" or "in_queue" => new ProviderPrediction(id, ProviderState.Queued),
            "processing" => new ProviderPrediction(id, ProviderState.Processing),
            "completed" when status.Output is [var first, ..] && Uri.TryCreate(first, UriKind.Absolute, out var output) => new ProviderPrediction(id, ProviderState.Succeeded, output),
            "completed" => new ProviderPrediction(id, ProviderState.Failed, Failure: new TryonFailedException("provider_failed", "FASHN completed without an output.", retryable: true)),
            "failed" => new ProviderPrediction(id, ProviderState.Failed, Failure: Failure(status.Error?.Name ?? "InternalServerError", status.Error?.Message, null)),
            _ => throw new TryonFailedException("provider_failed", $"FASHN answered an unknown status '{status.Status}'.", retryable: true),
        };
    }

    /// <summary>FASHN's API v1 has no way to stop a prediction: it runs to its end (and is paid for).</summary>
    public Task CancelAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>FASHN's error names in WearIt's codes.</summary>
    public static TryonFailedException Failure(string name, string? message, HttpStatusCode? status)
    {
        var reason = $"FASHN: {name}{(string.IsNullOrEmpty(message) ? "" : $" ({message})")}";
        if (status == HttpStatusCode.Unauthorized || name is "UnauthorizedAccess" or "OutOfCredits")
        {
            return new("provider_unavailable", $"The try-on provider is not available to WearIt right now. {reason}");
        }

        return name switch
        {
            "PoseError" => new("person_not_fully_visible", "The provider could not find the person's pose in the photo; use a photo that shows you from the front, head to hips (or knees for a bottom)."),
            "ContentModerationError" => new("content_rejected", "The provider refused one of the images for its content."),
            "ImageLoadError" => new("image_invalid", "The provider could not read one of the images."),
            // WearIt sent something the API does not take: another attempt would be refused the same way.
            "InputValidationError" or "BadRequest" or "NotFound" => new("provider_failed", reason),
            _ => new("provider_failed", reason, retryable: true),
        };
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(new Uri(Options.BaseUrl.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiKey);
        return request;
    }

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record RunRequest([property: JsonPropertyName("model_name")] string ModelName, [property: JsonPropertyName("inputs")] RunInputs Inputs);

    private sealed record RunInputs(
        [property: JsonPropertyName("model_image")] string ModelImage,
        [property: JsonPropertyName("garment_image")] string GarmentImage,
        [property: JsonPropertyName("category")] string Category,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("seed")] int Seed,
        [property: JsonPropertyName("output_format")] string OutputFormat);

    private sealed record RunResponse([property: JsonPropertyName("id")] string? Id, [property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("message")] string? Message);

    private sealed record StatusResponse(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("output")] IReadOnlyList<string>? Output,
        [property: JsonPropertyName("error")] StatusError? Error);

    private sealed record StatusError([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("message")] string? Message);
}
