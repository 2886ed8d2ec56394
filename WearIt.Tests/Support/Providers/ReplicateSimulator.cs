using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WearIt.Tests.Support.Providers;

/// <summary>
/// Replicate's HTTP API as replicate.com/docs describes it, running IDM-VTON's input schema: <c>POST /v1/predictions</c>
/// (Bearer token; <c>{version, input, webhook?, webhook_events_filter?}</c>; <c>Prefer: wait=1..60</c>) answering 201
/// with the prediction; <c>GET /v1/predictions/{id}</c>; <c>POST /v1/predictions/{id}/cancel</c>. Statuses
/// <c>starting</c>, <c>processing</c>, then <c>succeeded</c> (output: a URL), <c>failed</c> (error: a text) or
/// <c>canceled</c>. Errors are problem details: 401, 404, 422 for bad input, 429 with a detail saying when to retry.
/// </summary>
public sealed partial class ReplicateSimulator : ProviderSimulator
{
    private static readonly HashSet<string> InputFields = ["human_img", "garm_img", "garment_des", "category", "seed", "steps", "crop", "force_dc", "mask_img"];

    public string Version { get; init; } = "c871bb9b046607b680449ecbae55fd8c6d945e0a1948644bf2361b3d021d3ff4";

    /// <summary>The <c>Prefer</c> header of each accepted create.</summary>
    public List<string?> Prefers { get; } = [];

    public static async Task<ReplicateSimulator> StartNewAsync()
    {
        var simulator = new ReplicateSimulator();
        await simulator.StartAsync();
        return simulator;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/predictions", CreateAsync);
        app.MapGet("/v1/predictions/{id}", Get);
        app.MapPost("/v1/predictions/{id}/cancel", Cancel);
    }

    private async Task<IResult> CreateAsync(HttpRequest request, IHttpClientFactory http)
    {
        if (!Authorized(request))
        {
            return Problem(401, "Unauthenticated", "You did not pass a valid authentication token");
        }

        string? prefer = request.Headers["Prefer"];
        if (prefer is not null && !PreferWait().IsMatch(prefer))
        {
            return Problem(400, "Invalid Prefer header", "Prefer must be wait or wait=N with N from 1 to 60");
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        }
        catch (JsonException)
        {
            return Problem(400, "Bad request", "The body is not JSON");
        }

        if (body.ValueKind != JsonValueKind.Object || body.EnumerateObject().Select(field => field.Name).FirstOrDefault(name => name is not ("version" or "input" or "webhook" or "webhook_events_filter" or "stream")) is { } extra)
        {
            return Invalid("only version, input, webhook, webhook_events_filter and stream are taken");
        }

        if (!body.TryGetProperty("version", out var version) || version.GetString() != Version)
        {
            return Invalid("Invalid version or not permitted");
        }

        if (body.TryGetProperty("webhook", out var webhook) && (webhook.ValueKind != JsonValueKind.String || !Uri.TryCreate(webhook.GetString(), UriKind.Absolute, out _)))
        {
            return Invalid("webhook must be an absolute URL");
        }

        if (body.TryGetProperty("webhook_events_filter", out var filter)
            && (filter.ValueKind != JsonValueKind.Array || filter.EnumerateArray().Any(item => item.GetString() is not ("start" or "output" or "logs" or "completed"))))
        {
            return Invalid("webhook_events_filter takes start, output, logs and completed");
        }

        if (!body.TryGetProperty("input", out var input) || input.ValueKind != JsonValueKind.Object)
        {
            return Invalid("input is required");
        }

        if (input.EnumerateObject().Select(field => field.Name).FirstOrDefault(name => !InputFields.Contains(name)) is { } unknown)
        {
            return Invalid($"input.{unknown}: Additional properties are not allowed");
        }

        if (!input.TryGetProperty("garment_des", out var description) || description.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(description.GetString()))
        {
            return Invalid("input.garment_des is required");
        }

        var category = input.TryGetProperty("category", out var c) ? c.GetString() : "upper_body";
        if (category is not ("upper_body" or "lower_body" or "dresses"))
        {
            return Invalid("input.category must be one of upper_body, lower_body, dresses");
        }

        if (input.TryGetProperty("steps", out var steps) && (!steps.TryGetInt32(out var count) || count is < 1 or > 40))
        {
            return Invalid("input.steps must be an integer from 1 to 40");
        }

        if (input.TryGetProperty("seed", out var seed) && seed.ValueKind != JsonValueKind.Number)
        {
            return Invalid("input.seed must be an integer");
        }

        var person = input.TryGetProperty("human_img", out var h) ? await ReadImageAsync(h, http) : null;
        var garment = input.TryGetProperty("garm_img", out var g) ? await ReadImageAsync(g, http) : null;
        if (person is null || garment is null)
        {
            return Invalid("input.human_img and input.garm_img must be image URLs or data URIs");
        }

        var (accepted, _) = Create(body, person, category!);
        if (accepted is null)
        {
            return Problem(429, "Request was throttled", "Request was throttled. Expected available in 1 second.");
        }

        lock (Prefers)
        {
            Prefers.Add(prefer);
        }

        // A sync create answers once the prediction is done, or with it still running when the wait ran out.
        var status = accepted.Run.SyncProcessingWithOutput ? "processing" : "starting";
        var output = accepted.Run.SyncProcessingWithOutput ? OutputUrl(accepted).ToString() : null;
        return Results.Json(Shape(accepted, status, output, null), statusCode: 201);
    }

    private IResult Get(string id, HttpRequest request)
    {
        if (!Authorized(request))
        {
            return Problem(401, "Unauthenticated", "You did not pass a valid authentication token");
        }

        if (Read(id) is not { } prediction)
        {
            return Problem(404, "Not found", "The requested resource could not be found.");
        }

        if (prediction.Canceled)
        {
            return Results.Json(Shape(prediction, "canceled", null, null));
        }

        if (!Finished(prediction))
        {
            return Results.Json(Shape(prediction, "processing", prediction.Run.SyncProcessingWithOutput ? OutputUrl(prediction).ToString() : null, null));
        }

        return prediction.Run.FailWith is { } error
            ? Results.Json(Shape(prediction, "failed", null, error))
            : Results.Json(Shape(prediction, "succeeded", OutputUrl(prediction).ToString(), null));
    }

    private IResult Cancel(string id, HttpRequest request)
    {
        if (!Authorized(request))
        {
            return Problem(401, "Unauthenticated", "You did not pass a valid authentication token");
        }

        if (!Predictions.TryGetValue(id, out var prediction))
        {
            return Problem(404, "Not found", "The requested resource could not be found.");
        }

        prediction.Canceled = true;
        Cancels.Enqueue(id);
        return Results.Json(Shape(prediction, "canceled", null, null));
    }

    private object Shape(SimulatedPrediction prediction, string status, string? output, string? error) => new
    {
        id = prediction.Id,
        model = "cuuupid/idm-vton",
        version = Version,
        status,
        output,
        error,
        logs = "",
        created_at = DateTimeOffset.UtcNow.ToString("O"),
        urls = new
        {
            get = new Uri(BaseUrl, $"v1/predictions/{prediction.Id}").ToString(),
            cancel = new Uri(BaseUrl, $"v1/predictions/{prediction.Id}/cancel").ToString(),
        },
    };

    private IResult Invalid(string detail) => Problem(422, "Input validation failed", detail);

    private IResult Problem(int status, string title, string detail) =>
        Refuse(status, detail, new { type = "https://replicate.com/docs/reference/http", title, status, detail });

    [GeneratedRegex(@"^wait(=([1-9]|[1-5][0-9]|60))?$")]
    private static partial Regex PreferWait();
}
