using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting;
using SkiaSharp;
using WearIt.Tests.Support;

namespace WearIt.Tests.Abuse;

/// <summary>
/// The bomb row of issue 12 against a real ApiService process (booted by the AppHost): six concurrent uploads of a
/// 6000x6000 single-colour PNG took it from 281 MiB to 2.6 GiB and stalled catalog reads for 2.5 s. The test reads the
/// service's working set from outside, as an operator's monitor would, while it reads the catalog.
/// </summary>
public sealed class ImageBombMemoryTests(SharedAppHost appHost)
{
    private const long MaxWorkingSet = 1L << 30;

    [Fact]
    public async Task SixConcurrentBombsKeepApiServiceUnderOneGibibyteAndTheCatalogResponsive()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(4));
        var token = limit.Token;
        var host = await appHost.StartedAsync(token);
        using var api = host.CreateHttpClient("apiservice");
        var signup = await Mailbox.SignUpVerifiedAsync(api, Path.Combine(host.DataRoot, "mail"), $"bombs-{Guid.NewGuid():N}@example.com", "bomb test password", "Bomber", token);
        var accessToken = signup.GetProperty("tokens").GetProperty("access_token").GetString()!;
        Assert.True(host.App.ResourceNotifications.TryGetCurrentState("apiservice", out var running));
        using var service = Process.GetProcessById(Convert.ToInt32(running.Snapshot.Properties.Single(property => property.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture));
        var bomb = Bomb();
        for (var warm = 0; warm < 5; warm++)
        {
            using var warmup = await api.GetAsync("/api/v1/catalog/products?page=1&pageSize=24", token);
            Assert.Equal(HttpStatusCode.OK, warmup.StatusCode);
        }

        // Act: six bombs at once, while the working set is sampled and the catalog read over and over.
        using var uploading = CancellationTokenSource.CreateLinkedTokenSource(token);
        var peak = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!uploading.IsCancellationRequested)
            {
                service.Refresh();
                peak = Math.Max(peak, service.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        }, CancellationToken.None);
        var reads = new List<double>();
        var reader = Task.Run(async () =>
        {
            using var catalog = host.CreateHttpClient("apiservice");
            while (!uploading.IsCancellationRequested)
            {
                var watch = Stopwatch.StartNew();
                using var page = await catalog.GetAsync("/api/v1/catalog/products?page=1&pageSize=24", CancellationToken.None);
                reads.Add(watch.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }
        }, CancellationToken.None);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(bomb) { Headers = { ContentType = new("image/png") } }, "image", "bomb.png" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/bodies") { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await api.SendAsync(request, token);
            return response.StatusCode;
        }));
        await uploading.CancelAsync();
        await Task.WhenAll(sampler, reader);

        // Assert
        Assert.All(statuses, status => Assert.True(status is HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"an upload answered {(int)status}"));
        Assert.Contains(HttpStatusCode.Created, statuses);
        var p95 = reads.Order().ElementAt((int)Math.Ceiling(reads.Count * 0.95) - 1);
        TestContext.Current.SendDiagnosticMessage($"ApiService peak working set {peak / (1024 * 1024)} MiB; {reads.Count} catalog reads, p95 {p95:0.0} ms");
        Assert.True(peak < MaxWorkingSet, $"ApiService's working set peaked at {peak / (1024 * 1024)} MiB");
        Assert.True(p95 < 100, $"catalog reads p95 {p95:0.0} ms over {reads.Count} reads");
    }

    // 6000 x 6000 of one colour: about 110 KiB as a PNG, 144 MB decoded.
    private static byte[] Bomb()
    {
        using var bitmap = new SKBitmap(6000, 6000);
        bitmap.Erase(SKColors.Teal);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}
