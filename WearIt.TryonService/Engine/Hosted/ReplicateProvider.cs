using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>The <c>WearIt:Tryon:Replicate</c> section: a Replicate account and the try-on model version it runs.</summary>
public sealed class ReplicateOptions
{
    public const string SectionName = "WearIt:Tryon:Replicate";

    public string BaseUrl { get; set; } = "https://api.replicate.com";

    /// <summary>The API token (AppHost secret parameter <c>replicate-api-token</c>).</summary>
    public string? ApiToken { get; set; }

    /// <summary>The model version id to run (required), e.g. IDM-VTON's.</summary>
    public string? Version { get; set; }

    /// <summary>Which input mapping the version takes (<see cref="ReplicateModelInputs"/>).</summary>
    public string Model { get; set; } = ReplicateModelInputs.IdmVton;

    /// <summary>
    /// How long the create call may hold for a finished prediction (<c>Prefer: wait</c>, 1-60 s). Short: until the
    /// answer arrives its id is unknown, and a crash then would lose it.
    /// </summary>
    public int SyncWaitSeconds { get; set; } = 5;

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The webhook signing secret (<c>whsec_…</c>), to check Replicate's webhooks with; optional.</summary>
    public string? WebhookSecret { get; set; }
}

/// <summary>
/// What each Replicate try-on model takes as <c>input</c>: the one place that knows a model's field names, so a second
/// model needs one more mapping here and nothing else.
/// </summary>
public static class ReplicateModelInputs
{
    /// <summary>IDM-VTON (cuuupid/idm-vton; licensed for non-commercial use only).</summary>
    public const string IdmVton = "idm-vton";

    public static IReadOnlyDictionary<string, object> For(string model, ProviderInputs inputs) => model switch
    {
        IdmVton => new Dictionary<string, object>
        {
            ["human_img"] = inputs.PersonImage,
            ["garm_img"] = inputs.GarmentImage,
            ["garment_des"] = string.IsNullOrWhiteSpace(inputs.GarmentTitle) ? "a garment" : inputs.GarmentTitle,
            ["category"] = inputs.ClothType switch { "upper" => "upper_body", "lower" => "lower_body", _ => "dresses" },
            ["seed"] = inputs.Seed,
            ["steps"] = inputs.Mode == TryonMode.Quality ? 40 : 20,
        },
        _ => throw new InvalidOperationException($"{ReplicateOptions.SectionName}:Model '{model}' is not one WearIt knows ({IdmVton})."),
    };
}

/// <summary>
/// Replicate's HTTP API: <c>POST /v1/predictions</c> with <c>{version, input}</c> and <c>Prefer: wait=N</c> answers the
/// prediction (201); <c>GET /v1/predictions/{id}</c> reads it; <c>POST /v1/predictions/{id}/cancel</c> stops it.
/// Statuses <c>starting</c>, <c>processing</c>, <c>succeeded</c>, and the final <c>failed</c>, <c>canceled</c>,
/// <c>aborted</c>; <c>output</c> is a URL or an array of them (set while still <c>processing</c> sometimes: only
/// <c>succeeded</c> counts). Errors are problem details with a <c>detail</c>.
/// </summary>
public sealed partial class ReplicateProvider(HttpClient http, IOptions<ReplicateOptions> options) : IHostedProvider
{
    public const string ProviderName = "replicate";

    private ReplicateOptions Options => options.Value;

    public string Name => ProviderName;

    public TimeSpan PollInterval => Options.PollInterval;

    public TimeSpan Timeout => Options.Timeout;

    public async Task<ProviderPrediction> CreateAsync(ProviderInputs inputs, Uri? webhook, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "v1/predictions");
        request.Headers.Add("Prefer", $"wait={Math.Clamp(Options.SyncWaitSeconds, 1, 60)}");
        request.Content = JsonContent.Create(new CreateRequest(
            Options.Version!, ReplicateModelInputs.For(Options.Model, inputs), webhook?.ToString(), webhook is null ? null : ["completed"]));
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadPredictionAsync(response, cancellationToken);
    }

    public async Task<ProviderPrediction> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"v1/predictions/{Uri.EscapeDataString(id)}");
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadPredictionAsync(response, cancellationToken);
    }

    public async Task CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"v1/predictions/{Uri.EscapeDataString(id)}/cancel");
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }
    }

    /// <summary>Replicate's failure texts in WearIt's codes; a text WearIt does not recognise is the provider's fault.</summary>
    public static TryonFailedException Failure(string? error)
    {
        var text = error ?? "";
        if (NsfwText().IsMatch(text))
        {
            return new("content_rejected", "The provider refused one of the images for its content.");
        }

        if (PoseText().IsMatch(text))
        {
            return new("person_not_fully_visible", "The provider could not find the person's pose in the photo; use a photo that shows you from the front, head to hips (or knees for a bottom).");
        }

        if (ImageText().IsMatch(text))
        {
            return new("image_invalid", "The provider could not read one of the images.");
        }

        return new("provider_failed", $"Replicate: {(text.Length > 300 ? text[..300] : text)}", retryable: true);
    }

    private async Task<ProviderPrediction> ReadPredictionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken);
        }

        Prediction? prediction;
        try
        {
            prediction = await response.Content.ReadFromJsonAsync<Prediction>(cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new TryonFailedException("provider_failed", "Replicate sent a prediction WearIt cannot read.", retryable: true, ex);
        }

        if (prediction is not { Id: { Length: > 0 } id })
        {
            throw new TryonFailedException("provider_failed", "Replicate sent a prediction without an id.", retryable: true);
        }

        return prediction.Status switch
        {
            "starting" => new ProviderPrediction(id, ProviderState.Queued),
            "processing" => new ProviderPrediction(id, ProviderState.Processing),
            "succeeded" when FirstUrl(prediction.Output) is { } output => new ProviderPrediction(id, ProviderState.Succeeded, output),
            "succeeded" => new ProviderPrediction(id, ProviderState.Failed, Failure: new TryonFailedException("provider_failed", "Replicate succeeded without an output URL.", retryable: true)),
            "failed" => new ProviderPrediction(id, ProviderState.Failed, Failure: Failure(prediction.Error)),
            "canceled" or "aborted" => new ProviderPrediction(id, ProviderState.Failed, Failure: new TryonFailedException("provider_failed", $"Replicate {prediction.Status} the prediction.", retryable: true)),
            _ => throw new TryonFailedException("provider_failed", $"Replicate answered an unknown status '{prediction.Status}'.", retryable: true),
        };
    }

    private static Uri? FirstUrl(JsonElement? output) => output switch
    {
        { ValueKind: JsonValueKind.String } value when Uri.TryCreate(value.GetString(), UriKind.Absolute, out var url) => url,
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.String && Uri.TryCreate(item.GetString(), UriKind.Absolute, out var url) ? url : null)
            .FirstOrDefault(url => url is not null),
        _ => null,
    };

    private static async Task<Exception> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? detail = null;
        try
        {
            detail = (await response.Content.ReadFromJsonAsync<Problem>(cancellationToken))?.Detail;
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page, say): the status alone says what happened.
        }

        var reason = $"Replicate answered {(int)response.StatusCode}{(detail is null ? "" : $": {detail}")}";
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => new ProviderRateLimitedException(reason, RetryAfter(response, detail)),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound =>
                new TryonFailedException("provider_unavailable", $"The try-on provider is not available to WearIt right now. {reason}"),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => new TryonFailedException("provider_failed", reason),
            _ => new TryonFailedException("provider_failed", reason, retryable: true),
        };
    }

    /// <summary>When a 429 says to come back: its <c>Retry-After</c>, or the seconds its detail names ("…available in 5 seconds").</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response, string? detail)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta;
        }

        return detail is not null && RetrySeconds().Match(detail) is { Success: true } match
            && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0.1, 60))
            : null;
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(new Uri(Options.BaseUrl.TrimEnd('/') + "/"), path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Options.ApiToken);
        return request;
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(?:second|sec|s\b)", RegexOptions.IgnoreCase)]
    private static partial Regex RetrySeconds();

    [GeneratedRegex(@"nsfw|safety checker|inappropriate|content polic", RegexOptions.IgnoreCase)]
    private static partial Regex NsfwText();

    [GeneratedRegex(@"pose|keypoint|no person|no human|person not|human not|densepose", RegexOptions.IgnoreCase)]
    private static partial Regex PoseText();

    [GeneratedRegex(@"cannot identify image|image file is truncated|unidentifiedimage|could not (?:read|decode|load) (?:the )?image|invalid image", RegexOptions.IgnoreCase)]
    private static partial Regex ImageText();

    private sealed record CreateRequest(
        [property: JsonPropertyName("version")] string Version,
        [property: JsonPropertyName("input")] IReadOnlyDictionary<string, object> Input,
        [property: JsonPropertyName("webhook"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Webhook,
        [property: JsonPropertyName("webhook_events_filter"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? WebhookEventsFilter);

    private sealed record Prediction(
        [property: JsonPropertyName("id")] string? Id,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("output")] JsonElement? Output,
        [property: JsonPropertyName("error")] string? Error);

    private sealed record Problem([property: JsonPropertyName("detail")] string? Detail);
}
