using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WearIt.Tests.Support.Providers;

/// <summary>
/// FASHN's API v1 as docs.fashn.ai describes it: <c>POST /v1/run</c> (Bearer key; <c>{model_name, inputs}</c> with the
/// documented input fields and values only; optional <c>webhook_url</c>) answering <c>{id, error: null}</c>, and
/// <c>GET /v1/status/{id}</c> going <c>starting</c>, <c>in_queue</c>, <c>processing</c>, then <c>completed</c> with
/// <c>output: [url]</c> or <c>failed</c> with <c>error: {name, message}</c>. Errors before an id exist are
/// <c>{error: NAME, message}</c>: 400 BadRequest, 401 UnauthorizedAccess, 404 NotFound, 429 RateLimitExceeded.
/// </summary>
public sealed class FashnSimulator : ProviderSimulator
{
    private static readonly HashSet<string> InputFields =
        ["model_image", "garment_image", "category", "mode", "seed", "output_format", "moderation_level", "garment_photo_type", "segmentation_free", "num_samples", "return_base64"];

    public string ModelName { get; init; } = "tryon-v1.6";

    /// <summary>The <c>webhook_url</c> of each accepted create (null when none was given).</summary>
    public List<string?> Webhooks { get; } = [];

    public static async Task<FashnSimulator> StartNewAsync()
    {
        var simulator = new FashnSimulator();
        await simulator.StartAsync();
        return simulator;
    }

    protected override void Map(WebApplication app)
    {
        app.MapPost("/v1/run", RunAsync);
        app.MapGet("/v1/status/{id}", Status);
    }

    private async Task<IResult> RunAsync(HttpRequest request, IHttpClientFactory http)
    {
        if (!Authorized(request))
        {
            return Refuse(401, "no or wrong API key", new { error = "UnauthorizedAccess", message = "Invalid or missing API key." });
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return BadRequest("the body must be JSON");
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        }
        catch (JsonException)
        {
            return BadRequest("the body is not JSON");
        }

        if (body.ValueKind != JsonValueKind.Object || body.EnumerateObject().Any(field => field.Name is not ("model_name" or "inputs")))
        {
            return BadRequest("only model_name and inputs are taken");
        }

        if (!body.TryGetProperty("model_name", out var model) || model.GetString() != ModelName)
        {
            return BadRequest($"model_name must be {ModelName}");
        }

        if (!body.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Object)
        {
            return BadRequest("inputs is required");
        }

        if (inputs.EnumerateObject().Select(field => field.Name).FirstOrDefault(name => !InputFields.Contains(name)) is { } unknown)
        {
            return BadRequest($"unknown input {unknown}");
        }

        var category = inputs.TryGetProperty("category", out var c) ? c.GetString() : "auto";
        if (category is not ("auto" or "tops" or "bottoms" or "one-pieces"))
        {
            return BadRequest("category must be auto, tops, bottoms or one-pieces");
        }

        if (inputs.TryGetProperty("mode", out var mode) && mode.GetString() is not ("performance" or "balanced" or "quality"))
        {
            return BadRequest("mode must be performance, balanced or quality");
        }

        if (inputs.TryGetProperty("seed", out var seed) && (seed.ValueKind != JsonValueKind.Number || !seed.TryGetInt64(out var value) || value < 0 || value > uint.MaxValue))
        {
            return BadRequest("seed must be an integer from 0 to 2^32-1");
        }

        if (inputs.TryGetProperty("output_format", out var format) && format.GetString() is not ("png" or "jpeg"))
        {
            return BadRequest("output_format must be png or jpeg");
        }

        var person = inputs.TryGetProperty("model_image", out var m) ? await ReadImageAsync(m, http) : null;
        var garment = inputs.TryGetProperty("garment_image", out var g) ? await ReadImageAsync(g, http) : null;
        if (person is null || garment is null)
        {
            return BadRequest("model_image and garment_image must be image URLs or base64 data URIs of at most 1 MB");
        }

        string? webhook = request.Query["webhook_url"];
        if (webhook is not null && !Uri.TryCreate(webhook, UriKind.Absolute, out _))
        {
            return BadRequest("webhook_url must be an absolute URL");
        }

        var (accepted, rateLimitedId) = Create(body, person, category!);
        if (accepted is null)
        {
            return rateLimitedId is null
                ? Refuse(429, "rate limited", new { error = "RateLimitExceeded", message = "Too many requests." })
                : Refuse(429, "concurrency limited after creating", new { id = rateLimitedId, error = "ConcurrencyLimitExceeded", message = "Too many concurrent predictions." });
        }

        lock (Webhooks)
        {
            Webhooks.Add(webhook);
        }

        return Results.Json(new { id = accepted.Id, error = (string?)null });
    }

    private IResult Status(string id, HttpRequest request)
    {
        if (!Authorized(request))
        {
            return Refuse(401, "no or wrong API key", new { error = "UnauthorizedAccess", message = "Invalid or missing API key." });
        }

        if (Read(id) is not { } prediction)
        {
            return Refuse(404, $"unknown prediction {id}", new { error = "NotFound", message = "Prediction not found." });
        }

        if (!Finished(prediction))
        {
            var status = prediction.Reads switch { 1 => "starting", 2 => "in_queue", _ => "processing" };
            return Results.Json(new { id, status, output = (string[]?)null, error = (object?)null });
        }

        return prediction.Run.FailWith is { } name
            ? Results.Json(new { id, status = "failed", output = (string[]?)null, error = new { name, message = $"Simulated {name}." } })
            : Results.Json(new { id, status = "completed", output = new[] { OutputUrl(prediction).ToString() }, error = (object?)null });
    }

    private IResult BadRequest(string reason) => Refuse(400, reason, new { error = "BadRequest", message = reason });
}
