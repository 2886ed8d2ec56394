using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>Try-on jobs end to end inside TryonService, with ApiService replaced by a recording double.</summary>
public sealed class TryonJobsTests : IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon");
    private readonly FakeApiService _api = Known.ApiService();
    private HttpClient _http = null!;
    private readonly Guid _user = Guid.NewGuid();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(_api));
        _http = _factory.CreateClient();
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(_user));
        var objects = _factory.Services.GetRequiredService<IObjectStore>();
        await objects.PutAsync(Known.BodyKey, new MemoryStream(TestPhotos.AstronautOrSkip()), "image/png", Cancellation);
        await objects.PutAsync(Known.BlankBodyKey, new MemoryStream(TestImages.Jpeg(640, 480)), "image/jpeg", Cancellation);
        await objects.PutAsync(Known.TopKey, new MemoryStream(GarmentArtist.Draw(GarmentKind.Shirt, SKColors.SteelBlue)), "image/png", Cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AnAcceptedTryonSpendsOneCreditRunsAndServesItsResult()
    {
        using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body), Cancellation);
        var job = await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal(("queued", 1), (job.GetProperty("status").GetString(), job.GetProperty("version").GetInt32()));

        var done = await WaitForFinishAsync(id);

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("percent").GetInt32());
        var result = done.GetProperty("result");
        using var image = await _http.GetAsync(result.GetProperty("url").GetString(), Cancellation);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        using var bitmap = SKBitmap.Decode(await image.Content.ReadAsByteArrayAsync(Cancellation));
        Assert.Equal((512, 512), (bitmap.Width, bitmap.Height));
        Assert.Equal([id], _api.Charged.Keys);
        Assert.Empty(_api.Refunded);
        var events = await _factory.Services.GetRequiredService<ITryonEventLog>().ListAfterAsync(_user, 0, 100, Cancellation);
        Assert.Equal("tryon.queued", events[0].Type);
        Assert.Equal("tryon.succeeded", events[^1].Type);
        Assert.Contains(events, e => e.Type == "tryon.progress" && e.Stage == "compositing" && e.PreviewKey is not null);
        Assert.Equal(events.Select(e => e.Seq), Enumerable.Range(1, events.Count).Select(i => (long)i));
    }

    [Fact]
    public async Task APhotoWithoutAPersonFailsWithItsCodeAndIsRefunded()
    {
        using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.BlankBody), Cancellation);
        var id = (await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        var done = await WaitForFinishAsync(id);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("no_person_detected", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal([id], _api.Refunded.Keys);
    }

    [Theory]
    [InlineData("processing", HttpStatusCode.Conflict, "body_processing")]
    [InlineData("rejected", HttpStatusCode.BadRequest, "person_not_facing")]
    [InlineData("tops only", HttpStatusCode.BadRequest, "person_not_fully_visible")]
    public async Task ABodyThatCannotBeDressedIsRefusedBeforeACreditIsSpent(string body, HttpStatusCode status, string code)
    {
        var (bodyId, garment) = body switch
        {
            "processing" => (Known.ProcessingBody, Known.Top),
            "rejected" => (Known.RejectedBody, Known.Top),
            _ => (Known.TopsOnlyBody, Known.Trousers),
        };

        using var response = await _http.PostAsJsonAsync("/api/v1/tryons", new { bodyId, items = new[] { new { source = "catalog", id = garment } } }, Cancellation);

        await response.AssertProblemAsync(status, code);
        Assert.Empty(_api.Charged);
        using var list = await _http.GetAsync("/api/v1/tryons", Cancellation);
        Assert.Equal(0, (await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AtZeroCreditsTheTryonIs402AndNoJobIsLeft()
    {
        _api.Credits = 0;

        using var response = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body), Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.PaymentRequired, "credits_exhausted");
        using var list = await _http.GetAsync("/api/v1/tryons", Cancellation);
        Assert.Equal(0, (await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyStartsOneJob()
    {
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tryons") { Content = JsonContent.Create(Request(Known.Body)) };
        first.Headers.Add("Idempotency-Key", "tap-1");
        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tryons") { Content = JsonContent.Create(Request(Known.Body)) };
        second.Headers.Add("Idempotency-Key", "tap-1");

        using var a = await _http.SendAsync(first, Cancellation);
        using var b = await _http.SendAsync(second, Cancellation);

        Assert.Equal((await ApiServiceFixture.ReadAsync(a, HttpStatusCode.Accepted)).GetProperty("id").GetGuid(),
            (await ApiServiceFixture.ReadAsync(b, HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        Assert.Single(_api.Charged);
    }

    [Fact]
    public async Task VersionsCountUpPerOutfitAndTheListShowsTheLatest()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
        {
            using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body, seed: i), Cancellation);
            var job = await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted);
            Assert.Equal(i + 1, job.GetProperty("version").GetInt32());
            ids.Add(job.GetProperty("id").GetGuid());
        }

        using var list = await _http.GetAsync("/api/v1/tryons", Cancellation);
        using var byBody = await _http.GetAsync($"/api/v1/tryons?bodyId={Known.Body}", Cancellation);

        var latest = await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK);
        Assert.Equal(1, latest.GetProperty("total").GetInt32());
        Assert.Equal(ids[1], latest.GetProperty("items")[0].GetProperty("id").GetGuid());
        Assert.Equal(2, (await ApiServiceFixture.ReadAsync(byBody, HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"items":[{"source":"catalog","id":"00000000-0000-0000-0000-000000000001"}]}""", "bodyId")]
    [InlineData("""{"bodyId":"00000000-0000-0000-0000-000000000001","items":[]}""", "items")]
    [InlineData("""{"bodyId":"00000000-0000-0000-0000-000000000001","items":[{"source":"shop","id":"00000000-0000-0000-0000-000000000001"}]}""", "items")]
    [InlineData("""{"bodyId":"00000000-0000-0000-0000-000000000001","items":[{"source":"catalog","id":"00000000-0000-0000-0000-000000000001"}],"mode":"slow"}""", "mode")]
    public async Task InvalidRequestsAreFieldErrorsAndChargeNothing(string json, string field)
    {
        using var response = await _http.PostAsync("/api/v1/tryons", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(_api.Charged);
    }

    [Fact]
    public async Task TwoTopsAreRefusedBeforeAnyCharge()
    {
        using var response = await _http.PostAsJsonAsync("/api/v1/tryons",
            new { bodyId = Known.Body, items = new[] { new { source = "catalog", id = Known.Top }, new { source = "wardrobe", id = Known.Top } } }, Cancellation);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "garment_combination_invalid");
        Assert.Empty(_api.Charged);
    }

    [Fact]
    public async Task TheBodyAndTheGarmentsAreLookedUpAtOnce()
    {
        // The gated body answers only once a garment has been asked for: asked one after the other, it never would.
        using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.GatedBody), Cancellation);

        await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task AnUnknownBodyIsReportedBeforeAnUnknownGarment()
    {
        var request = new { bodyId = Guid.NewGuid(), items = new[] { new { source = "catalog", id = Guid.NewGuid() } } };

        using var response = await _http.PostAsJsonAsync("/api/v1/tryons", request, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Contains("body photo", problem.GetProperty("detail").GetString());
        Assert.Empty(_api.Charged);
    }

    [Fact]
    public async Task AnotherUsersTryonIsNotFound()
    {
        using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body), Cancellation);
        var id = (await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        using var stranger = _factory.CreateClient();
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(Guid.NewGuid()));

        using var get = await stranger.GetAsync($"/api/v1/tryons/{id}", Cancellation);
        using var cancel = await stranger.PostAsync($"/api/v1/tryons/{id}/cancel", null, Cancellation);
        using var delete = await stranger.DeleteAsync($"/api/v1/tryons/{id}", Cancellation);

        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await cancel.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await delete.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DeletingATryonRemovesItsResult()
    {
        using var accepted = await _http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body), Cancellation);
        var id = (await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        await WaitForFinishAsync(id);

        using var delete = await _http.DeleteAsync($"/api/v1/tryons/{id}", Cancellation);
        using var get = await _http.GetAsync($"/api/v1/tryons/{id}", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var objects = _factory.Services.GetRequiredService<IObjectStore>();
        Assert.Empty(await objects.ListAsync($"users/{_user}/tryons/{id}/", Cancellation).ToListAsync(Cancellation));
    }

    [Fact]
    public async Task DeletingARunningTryonCancelsItThroughItsWorkerWhichRefundsAndRemovesIt()
    {
        // Running on another instance whose lease is about to run out; this instance's worker then claims it.
        var id = await InsertAbandonedJobAsync(attempts: 1, leaseLeft: TimeSpan.FromSeconds(1));

        using var delete = await _http.DeleteAsync($"/api/v1/tryons/{id}", Cancellation);
        using var get = await _http.GetAsync($"/api/v1/tryons/{id}", Cancellation);
        using var list = await _http.GetAsync("/api/v1/tryons", Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await get.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.DoesNotContain(id.ToString(), await list.Content.ReadAsStringAsync(Cancellation));
        Assert.Empty(_api.Refunded);
        await WaitUntilRemovedAsync(id);
        Assert.Equal([id], _api.Refunded.Keys);
        var events = await _factory.Services.GetRequiredService<ITryonEventLog>().ListAfterAsync(_user, 0, 1000, Cancellation);
        Assert.Contains(events, e => e.JobId == id && e.Type == TryonEventTypes.Canceled);
    }

    [Fact]
    public async Task ARunningTryonThatSucceedsAsItIsDeletedIsNotRefunded()
    {
        // Its worker read the job before the deletion, and ends it with that stale copy.
        var id = await InsertAbandonedJobAsync(attempts: 1, leaseLeft: TimeSpan.FromMinutes(5), owner: "another-instance");
        var stale = (await _factory.Services.GetRequiredService<ITryonJobRepository>().FindAsync(_user, id, Cancellation))!;

        using var delete = await _http.DeleteAsync($"/api/v1/tryons/{id}", Cancellation);
        await using var scope = _factory.Services.CreateAsyncScope();
        var finished = await scope.ServiceProvider.GetRequiredService<TryonJobs>().FinishAsync(stale, "another-instance", TryonStatus.Succeeded, null, null, Cancellation);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.True(finished);
        Assert.Empty(_api.Refunded);
        Assert.Null(await _factory.Services.GetRequiredService<ITryonJobRepository>().FindAsync(_user, id, Cancellation));
    }

    [Fact]
    public async Task AJobQueuedOnThisInstanceStartsAtOnceWithoutWaitingForThePoll()
    {
        // The poll is an hour: only the wake-up a queued job sends its own instance's workers can start it in time.
        await using var factory = new EmbeddedServiceFactory<TryonServiceAssembly>("wearit-tryon") { Settings = { ["WearIt:Tryon:PollInterval"] = "01:00:00" } };
        factory.ServiceOverrides.Add(services => services.AddSingleton<IApiServiceClient>(_api));
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(_user));
        var objects = factory.Services.GetRequiredService<IObjectStore>();
        await objects.PutAsync(Known.BodyKey, new MemoryStream(TestPhotos.AstronautOrSkip()), "image/png", Cancellation);
        await objects.PutAsync(Known.TopKey, new MemoryStream(GarmentArtist.Draw(GarmentKind.Shirt, SKColors.SteelBlue)), "image/png", Cancellation);

        using var accepted = await http.PostAsJsonAsync("/api/v1/tryons", Request(Known.Body), Cancellation);
        var id = (await ApiServiceFixture.ReadAsync(accepted, HttpStatusCode.Accepted)).GetProperty("id").GetGuid();

        for (var poll = 0; poll < 300; poll++)
        {
            using var response = await http.GetAsync($"/api/v1/tryons/{id}", Cancellation);
            if ((await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK)).GetProperty("status").GetString() == "succeeded")
            {
                return;
            }

            await Task.Delay(100, Cancellation);
        }

        throw new Xunit.Sdk.XunitException("The try-on waited for the poll instead of starting when it was queued.");
    }

    [Fact]
    public async Task AJobWhoseWorkerDiedIsPickedUpWhenItsLeaseExpires()
    {
        var id = await InsertAbandonedJobAsync(attempts: 1);

        var done = await WaitForFinishAsync(id);

        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        Assert.Empty(_api.Refunded);
    }

    [Fact]
    public async Task AJobThatKeepsDyingIsFailedAndRefundedAfterTheLastAttempt()
    {
        var id = await InsertAbandonedJobAsync(attempts: 3);

        var done = await WaitForFinishAsync(id);

        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("tryon_attempts_exhausted", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal([id], _api.Refunded.Keys);
    }

    /// <summary>A running job as another worker holds it: claimed, its lease expired (a crash) or running out after <paramref name="leaseLeft"/>.</summary>
    private async Task<Guid> InsertAbandonedJobAsync(int attempts, TimeSpan? leaseLeft = null, string owner = "a-worker-that-died")
    {
        var now = DateTime.UtcNow;
        var job = new TryonJob
        {
            Id = Guid.CreateVersion7(),
            UserId = _user,
            BodyId = Known.Body,
            BodyImageKey = Known.BodyKey,
            Items = [new TryonItem { Source = "catalog", Id = Known.Top, ClothType = "upper", ImageKey = Known.TopKey }],
            OutfitKey = "abandoned",
            Version = 1,
            Seed = 3,
            Status = TryonStatus.Running,
            LeaseOwner = owner,
            LeaseExpiresAt = now.Add(leaseLeft ?? TimeSpan.FromSeconds(-1)),
            Attempts = attempts,
            CreatedAt = now,
            UpdatedAt = now,
        };
        // A running job was paid for when it was accepted.
        _api.Paid(job.Id);
        Assert.True(await _factory.Services.GetRequiredService<ITryonJobRepository>().TryInsertAsync(job, Cancellation));
        return job.Id;
    }

    private static object Request(Guid body, int seed = 1) =>
        new { bodyId = body, items = new[] { new { source = "catalog", id = Known.Top } }, mode = "fast", seed };

    private async Task<JsonElement> WaitForFinishAsync(Guid id)
    {
        for (var poll = 0; poll < 300; poll++)
        {
            using var response = await _http.GetAsync($"/api/v1/tryons/{id}", Cancellation);
            var job = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK);
            // The final event is logged after the refund is settled, so a test that sees it also sees the refund.
            var events = await _factory.Services.GetRequiredService<ITryonEventLog>().ListAfterAsync(_user, 0, 1000, Cancellation);
            if (job.GetProperty("status").GetString() is "succeeded" or "failed" or "canceled"
                && events.Any(e => e.JobId == id && e.Type == $"tryon.{job.GetProperty("status").GetString()}"))
            {
                return job;
            }

            await Task.Delay(100, Cancellation);
        }

        throw new Xunit.Sdk.XunitException($"Try-on {id} did not finish.");
    }

    /// <summary>Polls every 100 ms, for up to 30 s, until the job's document is gone.</summary>
    private async Task WaitUntilRemovedAsync(Guid id)
    {
        var repository = _factory.Services.GetRequiredService<ITryonJobRepository>();
        for (var poll = 0; poll < 300; poll++)
        {
            if (await repository.FindAsync(_user, id, Cancellation) is null)
            {
                return;
            }

            await Task.Delay(100, Cancellation);
        }

        throw new Xunit.Sdk.XunitException($"Try-on {id} was not removed.");
    }

    /// <summary>The bodies and garments these tests use, and the gate of the concurrent-lookup test.</summary>
    private static class Known
    {
        public static readonly Guid Body = FakeApiService.Body;
        public static readonly Guid BlankBody = Guid.Parse("22222222-2222-2222-2222-222222222222");
        public static readonly Guid Top = FakeApiService.Top;
        public static readonly Guid Trousers = Guid.Parse("44444444-4444-4444-4444-444444444444");
        public static readonly Guid ProcessingBody = Guid.Parse("55555555-5555-5555-5555-555555555555");
        public static readonly Guid RejectedBody = Guid.Parse("66666666-6666-6666-6666-666666666666");
        public static readonly Guid TopsOnlyBody = Guid.Parse("77777777-7777-7777-7777-777777777777");
        public static readonly Guid GatedBody = Guid.Parse("88888888-8888-8888-8888-888888888888");
        public const string BodyKey = "users/test/bodies/astronaut/original.png";
        public const string BlankBodyKey = "users/test/bodies/blank/original.jpg";
        public const string TopKey = "catalog/top/image/original.png";

        /// <summary>
        /// One body with a person, one without, one still processing, one rejected, one that takes tops only, and one
        /// whose lookup answers only once a garment was looked up (so it passes only when both are asked at once).
        /// </summary>
        public static FakeApiService ApiService()
        {
            var garmentAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new FakeApiService
            {
                OnGarmentLookup = _ => garmentAsked.TrySetResult(),
                BeforeBodyLookup = (id, cancellationToken) => id == GatedBody ? garmentAsked.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken) : Task.CompletedTask,
            }
                .WithBody(new BodyInfo(Body, BodyKey, 512, 512))
                .WithBody(new BodyInfo(BlankBody, BlankBodyKey, 640, 480))
                .WithBody(new BodyInfo(ProcessingBody, BodyKey, 512, 512, "processing"))
                .WithBody(new BodyInfo(RejectedBody, BodyKey, 512, 512, "rejected", "person_not_facing", "You are turned away from the camera."))
                .WithBody(new BodyInfo(TopsOnlyBody, BodyKey, 512, 512, "ready", Analysis: new() { Width = 512, Height = 512, Wears = ["upper"] }))
                .WithBody(new BodyInfo(GatedBody, BodyKey, 512, 512))
                .WithGarment(Top, "upper", TopKey)
                .WithGarment(Trousers, "lower", TopKey);
        }
    }
}
