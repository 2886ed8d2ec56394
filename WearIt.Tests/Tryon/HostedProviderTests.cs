using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SkiaSharp;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;
using WearIt.Tests.Support.Providers;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Hosted;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>The hosted engine on FASHN's and Replicate's APIs, each against a simulator that checks requests as the provider does.</summary>
public sealed class HostedProviderTests : IAsyncLifetime
{
    private static readonly GarmentInput Top = new("upper", TestImages.Png(400, 500, transparent: true), "Crimson tee");
    private static readonly GarmentInput Bottom = new("lower", TestImages.Png(400, 500, transparent: true), "Navy trousers");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "wearit-hosted-" + Guid.NewGuid().ToString("N"));
    private FileSystemObjectStore _store = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _store = new FileSystemObjectStore(_root, new ObjectUrlSigner(ObjectUrlSigner.DeriveKey("a-test-signing-key-that-is-long-enough-for-hs256"), TimeProvider.System), () => new Uri("http://localhost/"));
        await _store.EnsureReadyAsync(Cancellation);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task FashnRunsATopOverSeveralPollsAndReturnsItsOutput()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { Polls = 3 });
        var stages = new List<string>();

        var result = await Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast), new Collect(stages), Cancellation);

        Assert.Empty(fashn.Refusals);
        var create = Assert.Single(fashn.Creates);
        var inputs = create.GetProperty("inputs");
        Assert.Equal("tryon-v1.6", create.GetProperty("model_name").GetString());
        Assert.Equal("tops", inputs.GetProperty("category").GetString());
        Assert.Equal("performance", inputs.GetProperty("mode").GetString());
        Assert.Equal("png", inputs.GetProperty("output_format").GetString());
        Assert.Equal(7, inputs.GetProperty("seed").GetInt32());
        Assert.StartsWith("data:image/jpeg;base64,", inputs.GetProperty("model_image").GetString());
        Assert.Equal([null], fashn.Webhooks);
        Assert.Equal(4, fashn.StatusReads);
        Assert.Equal(["validating", "submitting", "queued", "processing", "downloading", "done"], stages);
        Assert.Equal("image/png", result.ContentType);
        using var bitmap = SKBitmap.Decode(result.Image);
        Assert.Equal(SKColors.Crimson, bitmap.GetPixel(bitmap.Width / 2, bitmap.Height * 45 / 100));
    }

    [Fact]
    public async Task AnOutfitIsTwoCallsTheBottomOnTheTopsResultAndTheFirstResultIsKept()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        var job = new RecordingJob();

        var result = await Fashn(fashn).RunAsync(Request([Bottom, Top], TryonMode.Quality, job), new Collect([]), Cancellation);

        Assert.Equal(2, fashn.CreateCalls);
        Assert.Equal(["tops", "bottoms"], fashn.Creates.Select(create => create.GetProperty("inputs").GetProperty("category").GetString()));
        Assert.All(fashn.Creates, create => Assert.Equal("quality", create.GetProperty("inputs").GetProperty("mode").GetString()));
        // The bottom went on the photo already wearing the top: the second call's person shows the first's band.
        using var secondPerson = SKBitmap.Decode(DataUri(fashn.Creates.Last().GetProperty("inputs").GetProperty("model_image")));
        Assert.True(IsNear(secondPerson.GetPixel(secondPerson.Width / 2, secondPerson.Height * 45 / 100), SKColors.Crimson));
        using var bitmap = SKBitmap.Decode(result.Image);
        Assert.True(IsNear(bitmap.GetPixel(bitmap.Width / 2, bitmap.Height * 45 / 100), SKColors.Crimson), "the top's band is on the result (through a JPEG)");
        Assert.Equal(SKColors.Navy, bitmap.GetPixel(bitmap.Width / 2, bitmap.Height * 70 / 100));
        Assert.Equal([0, 1], job.Steps.Select(step => step.Index).Order());
        Assert.NotNull(job.Steps.Single(step => step.Index == 0).ResultKey);
        Assert.NotNull(await _store.ReadAllBytesAsync(job.Steps.Single(step => step.Index == 0).ResultKey!, Cancellation));
    }

    [Fact]
    public async Task AJobClaimedAgainReadsThePredictionItCreatedInsteadOfCreatingAnother()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { Polls = 1 });
        var first = new RecordingJob();
        await Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast, first), new Collect([]), Cancellation);
        var crashed = new RecordingJob();
        crashed.Steps.Add(new ProviderStep { Index = 0, Provider = "fashn", PredictionId = first.Steps[0].PredictionId });

        var result = await Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast, crashed), new Collect([]), Cancellation);

        Assert.Equal(1, fashn.CreateCalls);
        Assert.NotEmpty(result.Image);
    }

    [Theory]
    [InlineData("PoseError", "person_not_fully_visible", false)]
    [InlineData("ContentModerationError", "content_rejected", false)]
    [InlineData("ImageLoadError", "image_invalid", false)]
    [InlineData("InputValidationError", "provider_failed", false)]
    [InlineData("PipelineError", "provider_failed", true)]
    [InlineData("ThirdPartyError", "provider_failed", true)]
    [InlineData("InternalServerError", "provider_failed", true)]
    public async Task FashnRuntimeErrorsBecomeWearItCodes(string name, string code, bool retryable)
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { FailWith = name });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal((code, retryable), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task AWrongKeyIsProviderUnavailableAndCreatesNothing()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => Fashn(fashn, key: "a-wrong-key").RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal(("provider_unavailable", false), (error.Code, error.Retryable));
        Assert.Empty(fashn.Creates);
    }

    [Fact]
    public async Task ARateLimitedCreateIsTriedAgainAfterABackoffAndCreatesOnePrediction()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { RateLimitedCreates = 2 });

        await Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation);

        Assert.Equal(3, fashn.CreateCalls);
        Assert.Single(fashn.Creates);
    }

    [Fact]
    public async Task ARateLimitThatCreatedAPredictionAnywayIsReadNotCreatedAgain()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { RateLimitedCreates = 1, RateLimitedWithId = true });

        var result = await Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation);

        Assert.Equal(1, fashn.CreateCalls);
        Assert.NotEmpty(result.Image);
    }

    [Fact]
    public async Task AnOutputDeletedBeforeTheDownloadIsARetryableProviderFailure()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { OutputDeleted = true });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => Fashn(fashn).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal(("provider_failed", true), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task APredictionThatOutlastsTheTimeoutIsARetryableProviderFailure()
    {
        await using var fashn = await FashnSimulator.StartNewAsync();
        fashn.Enqueue(new SimulatedRun { Hold = true });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            Fashn(fashn, timeout: TimeSpan.FromMilliseconds(300)).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal(("provider_failed", true), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task WithAPublicBaseUrlImagesGoAsSignedUrlsAndAWebhookIsGiven()
    {
        // TryonService's storage route on a loopback port: the simulator fetches the signed URLs as FASHN would.
        var storage = WebApplication.CreateSlimBuilder();
        storage.WebHost.UseUrls("http://127.0.0.1:0");
        storage.Services.AddWearItProblemDetails().AddSingleton<IObjectStore>(_store);
        await using var site = storage.Build();
        site.UseWearItErrorHandling();
        site.MapSignedObjectEndpoints();
        await site.StartAsync(Cancellation);
        var publicBase = site.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        await using var fashn = await FashnSimulator.StartNewAsync();
        var job = new RecordingJob();

        await Fashn(fashn, publicBaseUrl: publicBase).RunAsync(Request([Top], TryonMode.Fast, job), new Collect([]), Cancellation);

        Assert.Empty(fashn.Refusals);
        var inputs = fashn.Creates.Single().GetProperty("inputs");
        Assert.StartsWith($"{publicBase}/storage/{job.ObjectPrefix}/provider-person-0.jpg?", inputs.GetProperty("model_image").GetString());
        Assert.StartsWith($"{publicBase}/storage/{job.ObjectPrefix}/provider-garment-0.jpg?", inputs.GetProperty("garment_image").GetString());
        Assert.Equal([$"{publicBase}/webhooks/tryon-providers/fashn"], fashn.Webhooks);
    }

    [Theory]
    [InlineData("OutOfCredits", 429, "provider_unavailable", false)]
    [InlineData("UnauthorizedAccess", 401, "provider_unavailable", false)]
    [InlineData("BadRequest", 400, "provider_failed", false)]
    [InlineData("NotFound", 404, "provider_failed", false)]
    [InlineData("InternalServerError", 500, "provider_failed", true)]
    public void FashnErrorsBeforeAnIdBecomeWearItCodes(string name, int status, string code, bool retryable)
    {
        var error = FashnProvider.Failure(name, "simulated", (System.Net.HttpStatusCode)status);

        Assert.Equal((code, retryable), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task ReplicateRunsIdmVtonWithTheGarmentsTitleAndCategory()
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();

        var result = await Replicate(replicate).RunAsync(Request([Top], TryonMode.Quality), new Collect([]), Cancellation);

        Assert.Empty(replicate.Refusals);
        var create = Assert.Single(replicate.Creates);
        Assert.Equal(replicate.Version, create.GetProperty("version").GetString());
        var input = create.GetProperty("input");
        Assert.Equal("Crimson tee", input.GetProperty("garment_des").GetString());
        Assert.Equal("upper_body", input.GetProperty("category").GetString());
        Assert.Equal(40, input.GetProperty("steps").GetInt32());
        Assert.Equal(7, input.GetProperty("seed").GetInt32());
        Assert.False(create.TryGetProperty("webhook", out _));
        Assert.Equal(["wait=5"], replicate.Prefers);
        Assert.NotEmpty(result.Image);
    }

    [Fact]
    public async Task ASyncAnswerStillProcessingWithAnOutputIsReadUntilItSucceeds()
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();
        replicate.Enqueue(new SimulatedRun { SyncProcessingWithOutput = true, Polls = 2 });

        await Replicate(replicate).RunAsync(Request([new GarmentInput("dress", Top.Image, "Violet dress")], TryonMode.Fast), new Collect([]), Cancellation);

        Assert.Equal(3, replicate.StatusReads);
        Assert.Equal("dresses", replicate.Creates.Single().GetProperty("input").GetProperty("category").GetString());
        Assert.Equal(20, replicate.Creates.Single().GetProperty("input").GetProperty("steps").GetInt32());
    }

    [Theory]
    [InlineData("NSFW content detected. Try running it again, or try a different prompt.", "content_rejected", false)]
    [InlineData("cannot identify image file <_io.BytesIO object at 0x7f>", "image_invalid", false)]
    [InlineData("No pose keypoints were found for the human image", "person_not_fully_visible", false)]
    [InlineData("CUDA out of memory. Tried to allocate 2.00 GiB", "provider_failed", true)]
    public async Task ReplicateFailureTextsBecomeWearItCodes(string text, string code, bool retryable)
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();
        replicate.Enqueue(new SimulatedRun { FailWith = text });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => Replicate(replicate).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal((code, retryable), (error.Code, error.Retryable));
    }

    [Fact]
    public async Task ReplicatesThrottleIsWaitedOutForAsLongAsItsDetailSays()
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();
        replicate.Enqueue(new SimulatedRun { RateLimitedCreates = 1 });

        await Replicate(replicate).RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation);

        Assert.Equal(2, replicate.CreateCalls);
        Assert.Single(replicate.Creates);
    }

    [Fact]
    public async Task ACancelledTryonCancelsItsReplicatePrediction()
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();
        replicate.Enqueue(new SimulatedRun { Hold = true });
        var job = new RecordingJob();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);

        var running = Replicate(replicate).RunAsync(Request([Top], TryonMode.Fast, job), new Collect([]), cancel.Token);
        await replicate.WaitForStatusReadsAsync(2, Cancellation);
        job.CancelRequested = true;
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.Equal([job.Steps.Single().PredictionId], replicate.Cancels);
    }

    [Fact]
    public async Task ABadReplicateTokenIsProviderUnavailable()
    {
        await using var replicate = await ReplicateSimulator.StartNewAsync();

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => Replicate(replicate, token: "r8_wrong").RunAsync(Request([Top], TryonMode.Fast), new Collect([]), Cancellation));

        Assert.Equal("provider_unavailable", error.Code);
    }

    [Fact]
    public void ReplicatesDocumentedWebhookSignatureIsAcceptedAndNothingElse()
    {
        const string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        const string id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        const string timestamp = "1614265330";
        const string signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        var body = """{"test": 2432232314}"""u8.ToArray();
        var then = DateTimeOffset.FromUnixTimeSeconds(1614265330);

        Assert.True(ReplicateWebhookSignature.IsValid(secret, id, timestamp, signature, body, then.AddSeconds(30)));
        Assert.True(ReplicateWebhookSignature.IsValid(secret, id, timestamp, $"v1,bm90IHRoaXMgb25l {signature}", body, then));
        Assert.False(ReplicateWebhookSignature.IsValid(secret, id, timestamp, signature, body, then.AddMinutes(6)));
        Assert.False(ReplicateWebhookSignature.IsValid(secret, id, timestamp, signature, """{"test": 2432232315}"""u8.ToArray(), then));
        Assert.False(ReplicateWebhookSignature.IsValid(secret, "msg_other", timestamp, signature, body, then));
        Assert.False(ReplicateWebhookSignature.IsValid(secret, id, timestamp, "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", body, then));
        Assert.False(ReplicateWebhookSignature.IsValid("whsec_bm90IHRoZSBrZXk=", id, timestamp, signature, body, then));
    }

    private HostedTryonEngine Fashn(FashnSimulator simulator, string? key = null, TimeSpan? timeout = null, string? publicBaseUrl = null) =>
        Engine(publicBaseUrl, new FashnProvider(new HttpClient(), Options.Create(new FashnOptions
        {
            BaseUrl = simulator.BaseUrl.ToString(),
            ApiKey = key ?? simulator.Key,
            PollInterval = TimeSpan.FromMilliseconds(20),
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        })));

    private HostedTryonEngine Replicate(ReplicateSimulator simulator, string? token = null) =>
        Engine(null, new ReplicateProvider(new HttpClient(), Options.Create(new ReplicateOptions
        {
            BaseUrl = simulator.BaseUrl.ToString(),
            ApiToken = token ?? simulator.Key,
            Version = simulator.Version,
            PollInterval = TimeSpan.FromMilliseconds(20),
            Timeout = TimeSpan.FromSeconds(30),
        })));

    private HostedTryonEngine Engine(string? publicBaseUrl, IHostedProvider provider) =>
        new(provider, new HttpClient(), _store, new ProviderSignals(TimeProvider.System), Options.Create(new HostedEngineOptions { PublicBaseUrl = publicBaseUrl }), TimeProvider.System, NullLogger<HostedTryonEngine>.Instance);

    private static TryonRequest Request(IReadOnlyList<GarmentInput> garments, TryonMode mode, IHostedTryonJob? job = null) =>
        new(TestImages.Jpeg(600, 800), garments, mode, 7) { Job = job };

    private static byte[] DataUri(JsonElement value) => Convert.FromBase64String(value.GetString()!["data:image/jpeg;base64,".Length..]);

    private static bool IsNear(SKColor a, SKColor b) => Math.Abs(a.Red - b.Red) + Math.Abs(a.Green - b.Green) + Math.Abs(a.Blue - b.Blue) < 40;

    private sealed class Collect(List<string> stages) : IProgress<TryonProgress>
    {
        public void Report(TryonProgress value) => stages.Add(value.Stage);
    }

    private sealed class RecordingJob : IHostedTryonJob
    {
        public Guid Id { get; } = Guid.NewGuid();

        public string ObjectPrefix => $"users/{Guid.Empty}/tryons/{Id}";

        public List<ProviderStep> Steps { get; } = [];

        IReadOnlyList<ProviderStep> IHostedTryonJob.Steps => Steps;

        public bool CancelRequested { get; set; }

        public Task SaveStepAsync(ProviderStep step, CancellationToken cancellationToken)
        {
            Steps.RemoveAll(saved => saved.Index == step.Index);
            Steps.Add(step);
            return Task.CompletedTask;
        }
    }
}
