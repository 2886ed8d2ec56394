using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SkiaSharp;

namespace WearIt.Tests.Support.Providers;

/// <summary>What one prediction of a simulated provider does, in the order predictions are created.</summary>
public sealed record SimulatedRun
{
    /// <summary>Status reads that answer "still running" before the prediction ends.</summary>
    public int Polls { get; init; } = 2;

    /// <summary>The provider's error (a FASHN error name, a Replicate error text): the prediction fails with it.</summary>
    public string? FailWith { get; init; }

    /// <summary>The output is gone before WearIt downloads it (404).</summary>
    public bool OutputDeleted { get; init; }

    /// <summary>Creates refused with 429 before this one is accepted.</summary>
    public int RateLimitedCreates { get; init; }

    /// <summary>The 429 carries the id of a prediction it created anyway.</summary>
    public bool RateLimitedWithId { get; init; }

    /// <summary>Stays running until <see cref="ProviderSimulator.Release"/>.</summary>
    public bool Hold { get; init; }

    /// <summary>Replicate: the create answers (sync) with status <c>processing</c> and the output already set.</summary>
    public bool SyncProcessingWithOutput { get; init; }
}

/// <summary>
/// A hosted try-on provider on a real loopback port (TryonService processes started by the AppHost reach it too),
/// checking every request as the provider would and answering with its documented shapes. Its "model" draws a band
/// of colour across the middle of the person image, so each call's result shows in the next one's input.
/// </summary>
public abstract class ProviderSimulator : IAsyncDisposable
{
    private readonly ConcurrentQueue<SimulatedRun> _script = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = null!;
    private int _rateLimitedSoFar;

    public Uri BaseUrl { get; private set; } = null!;

    public string Key { get; init; } = "sim-key-" + Guid.NewGuid().ToString("N");

    /// <summary>Accepted create calls' bodies, in order.</summary>
    public ConcurrentQueue<JsonElement> Creates { get; } = new();

    /// <summary>Every create call, accepted or refused.</summary>
    public int CreateCalls => _createCalls;

    public int StatusReads => _statusReads;

    public ConcurrentQueue<string> Cancels { get; } = new();

    /// <summary>Requests refused for not being what the provider takes (status and reason), for a test to show.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Predictions by id.</summary>
    protected ConcurrentDictionary<string, SimulatedPrediction> Predictions { get; } = new();

    private int _createCalls;
    private int _statusReads;
    private TaskCompletionSource _readSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs for the next predictions; a prediction with none queued succeeds after two reads.</summary>
    public void Enqueue(params SimulatedRun[] runs)
    {
        foreach (var run in runs)
        {
            _script.Enqueue(run);
        }
    }

    /// <summary>Lets every held prediction finish.</summary>
    public void Release() => _released.TrySetResult();

    /// <summary>Completes when the simulator has been read <paramref name="reads"/> times in all.</summary>
    public async Task WaitForStatusReadsAsync(int reads, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = Volatile.Read(ref _readSignal);
            if (Volatile.Read(ref _statusReads) >= reads)
            {
                return;
            }

            await next.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddHttpClient();
        _app = builder.Build();
        Map(_app);
        _app.MapGet("/outputs/{id}.png", (string id) =>
            Predictions.TryGetValue(id, out var prediction) && prediction.Output is { } png && !prediction.Run.OutputDeleted
                ? Results.Bytes(png, "image/png")
                : Results.NotFound());
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected abstract void Map(WebApplication app);

    protected bool Authorized(HttpRequest request) => request.Headers.Authorization.ToString() == $"Bearer {Key}";

    protected IResult Refuse(int status, string reason, object body)
    {
        Refusals.Enqueue($"{status}: {reason}");
        return Results.Json(body, statusCode: status);
    }

    /// <summary>
    /// Counts a create call and decides how it is answered: refused for the rate limit (with a created prediction's id
    /// when the run says so), or accepted as a new prediction of <paramref name="personImage"/>.
    /// </summary>
    protected (SimulatedPrediction? Accepted, string? RateLimitedId) Create(JsonElement body, byte[] personImage, string category)
    {
        Interlocked.Increment(ref _createCalls);
        var run = _script.TryPeek(out var next) ? next : new SimulatedRun();
        if (_rateLimitedSoFar < run.RateLimitedCreates)
        {
            _rateLimitedSoFar++;
            if (!run.RateLimitedWithId)
            {
                return (null, null);
            }

            var created = Accept(run, body, personImage, category);
            return (null, created.Id);
        }

        return (Accept(run, body, personImage, category), null);
    }

    private SimulatedPrediction Accept(SimulatedRun run, JsonElement body, byte[] personImage, string category)
    {
        _script.TryDequeue(out _);
        _rateLimitedSoFar = 0;
        Creates.Enqueue(body.Clone());
        var prediction = new SimulatedPrediction(Guid.NewGuid().ToString("N")[..20], run, Dress(personImage, category));
        Predictions[prediction.Id] = prediction;
        return prediction;
    }

    /// <summary>Reads the prediction once: the number of reads it has had and whether it is done.</summary>
    protected SimulatedPrediction? Read(string id)
    {
        Interlocked.Increment(ref _statusReads);
        Interlocked.Exchange(ref _readSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (!Predictions.TryGetValue(id, out var prediction))
        {
            return null;
        }

        prediction.Reads++;
        return prediction;
    }

    protected bool Finished(SimulatedPrediction prediction) =>
        prediction.Canceled || (prediction.Reads > prediction.Run.Polls && (!prediction.Run.Hold || _released.Task.IsCompleted));

    protected Uri OutputUrl(SimulatedPrediction prediction) => new(BaseUrl, $"outputs/{prediction.Id}.png");

    /// <summary>
    /// An image input as the provider takes it: a <c>data:</c> URI of at most 1 MB (WearIt's own rule, checked here) or
    /// an http(s) URL it fetches; null when it is neither or not an image.
    /// </summary>
    protected async Task<byte[]?> ReadImageAsync(JsonElement value, IHttpClientFactory http)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        byte[] bytes;
        if (text.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal))
        {
            try
            {
                bytes = Convert.FromBase64String(text["data:image/jpeg;base64,".Length..]);
            }
            catch (FormatException)
            {
                return null;
            }

            if (bytes.Length > 1024 * 1024)
            {
                return null;
            }
        }
        else if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            using var response = await http.CreateClient().GetAsync(url);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            bytes = await response.Content.ReadAsByteArrayAsync();
        }
        else
        {
            return null;
        }

        using var bitmap = SKBitmap.Decode(bytes);
        return bitmap is null ? null : bytes;
    }

    private static byte[] Dress(byte[] person, string category)
    {
        using var bitmap = SKBitmap.Decode(person);
        using var canvas = new SKCanvas(bitmap);
        var colour = category switch { "tops" or "upper_body" => SKColors.Crimson, "bottoms" or "lower_body" => SKColors.Navy, _ => SKColors.DarkOrchid };
        var (top, bottom) = category is "bottoms" or "lower_body" ? (0.55f, 0.85f) : (0.3f, 0.6f);
        using var paint = new SKPaint { Color = colour };
        canvas.DrawRect(SKRect.Create(bitmap.Width * 0.3f, bitmap.Height * top, bitmap.Width * 0.4f, bitmap.Height * (bottom - top)), paint);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}

/// <summary>One simulated prediction.</summary>
public sealed class SimulatedPrediction(string id, SimulatedRun run, byte[] output)
{
    public string Id { get; } = id;

    public SimulatedRun Run { get; } = run;

    public byte[] Output { get; } = output;

    public int Reads { get; set; }

    public bool Canceled { get; set; }
}
