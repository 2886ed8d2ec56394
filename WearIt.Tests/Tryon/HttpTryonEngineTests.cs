using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SkiaSharp;
using WearIt.Tests.Support;
using WearIt.TryonService.Engine;

namespace WearIt.Tests.Tryon;

/// <summary>The hosted-API engine against a fake provider: submit, poll, errors mapped to WearIt's codes.</summary>
public sealed class HttpTryonEngineTests
{
    private static readonly GarmentInput Top = new("upper", TestImages.Png(300, 300, transparent: true));

    [Fact]
    public async Task ASubmittedTryonIsPolledUntilItCompletes()
    {
        var polls = 0;
        await using var provider = await FakeProviderAsync(_ => ++polls < 3
            ? new { status = "processing", progress = polls * 40 }
            : new { status = "completed", output = Convert.ToBase64String(TestImages.Png(400, 600)), content_type = "image/png" });
        var stages = new List<string>();

        var result = await Engine(provider).RunAsync(new TryonRequest(TestImages.Jpeg(), [Top], TryonMode.Fast, 1), new Collect(stages), TestContext.Current.CancellationToken);

        Assert.Equal((400, 600), (result.Width, result.Height));
        Assert.Equal(3, polls);
        Assert.Equal(["validating", "submitted", "processing", "processing", "done"], stages);
    }

    [Theory]
    [InlineData("no_person", "no_person_detected")]
    [InlineData("multiple_persons", "multiple_people")]
    [InlineData("gpu_on_fire", "provider_failed")]
    public async Task ProviderFailuresBecomeWearItCodes(string providerCode, string code)
    {
        await using var provider = await FakeProviderAsync(_ => new { status = "failed", error = new { code = providerCode, message = "nope" } });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            Engine(provider).RunAsync(new TryonRequest(TestImages.Jpeg(), [Top], TryonMode.Fast, 1), new Collect([]), TestContext.Current.CancellationToken));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task AWrongKeyIsProviderAuthFailed()
    {
        await using var provider = await FakeProviderAsync(_ => new { status = "processing" }, requiredKey: "the-right-key");

        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            Engine(provider, key: "a-wrong-key").RunAsync(new TryonRequest(TestImages.Jpeg(), [Top], TryonMode.Fast, 1), new Collect([]), TestContext.Current.CancellationToken));

        Assert.Equal("provider_auth_failed", error.Code);
    }

    [Fact]
    public async Task AProviderThatNeverFinishesTimesOut()
    {
        await using var provider = await FakeProviderAsync(_ => new { status = "processing", progress = 10 });

        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            Engine(provider, timeout: TimeSpan.FromMilliseconds(400)).RunAsync(new TryonRequest(TestImages.Jpeg(), [Top], TryonMode.Fast, 1), new Collect([]), TestContext.Current.CancellationToken));

        Assert.Equal("provider_timeout", error.Code);
    }

    private static HttpTryonEngine Engine(InMemoryHost provider, string key = "the-right-key", TimeSpan? timeout = null) =>
        new(provider.Http, Options.Create(new HttpTryonEngineOptions
        {
            BaseUrl = provider.Http.BaseAddress!.ToString(),
            ApiKey = key,
            PollInterval = TimeSpan.FromMilliseconds(20),
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        }), TimeProvider.System);

    /// <summary>A stand-in provider: accepts submissions with the right key and answers polls with <paramref name="status"/>.</summary>
    private static Task<InMemoryHost> FakeProviderAsync(Func<int, object> status, string requiredKey = "the-right-key") =>
        InMemoryHost.StartAsync(_ => { }, app =>
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.Headers.Authorization != $"Bearer {requiredKey}")
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await next(context);
            });
            app.MapPost("/v1/tryons", async (HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("person_image").GetString()));
                Assert.Equal("upper", body.RootElement.GetProperty("garments")[0].GetProperty("type").GetString());
                return Results.Json(new { id = "job-1" }, statusCode: 202);
            });
            app.MapGet("/v1/tryons/{id}", (string id) => Results.Json(status(0)));
        });

    private sealed class Collect(List<string> stages) : IProgress<TryonProgress>
    {
        public void Report(TryonProgress value) => stages.Add(value.Stage);
    }
}
