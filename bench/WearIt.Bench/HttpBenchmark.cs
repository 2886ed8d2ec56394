using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace WearIt.Bench;

/// <summary>
/// The API near the metal (issue 13): boots the AppHost (Release, embedded mode, the dashboard receiving telemetry)
/// as a developer does, prints its cold start to both services healthy, then drives a bare Kestrel floor serving a
/// fixed page of the catalog page's size and each route with the same closed-loop load (a .NET load generator on
/// loopback: <see cref="Connections"/> connections, each sending its next request when the last one answered) in one
/// run, and prints rps, p50, p99 and the ratio to the floor per route.
/// </summary>
internal static class HttpBenchmark
{
    private const int Connections = 64;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(10);
    private static readonly Uri Api = new("http://localhost:5360");
    private static readonly Uri Tryon = new("http://localhost:5370");

    public static async Task RunAsync()
    {
        var root = ServiceProcesses.FindRepositoryRoot();
        var dataRoot = Path.Combine(Path.GetTempPath(), "wearit-bench-http-" + Guid.NewGuid().ToString("N"));
        Console.WriteLine("building the AppHost (Release)…");
        await RunToEndAsync(root, "build", "-c", "Release", "WearIt.AppHost");

        using var appHost = Process.Start(new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            ArgumentList = { "run", "--no-build", "-c", "Release", "--project", "WearIt.AppHost", "--launch-profile", "http", "--", "--WearIt:Infrastructure=embedded", $"--WearIt:DataRoot={dataRoot}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("The AppHost did not start.");
        appHost.OutputDataReceived += (_, _) => { };
        appHost.ErrorDataReceived += (_, _) => { };
        appHost.BeginOutputReadLine();
        appHost.BeginErrorReadLine();
        try
        {
            var coldStart = Stopwatch.StartNew();
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(probe, Api);
            await WaitHealthyAsync(probe, Tryon);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cold start of the AppHost to both services healthy: {coldStart.Elapsed.TotalSeconds:0.0} s"));

            var token = await SignUpAsync(probe, Path.Combine(dataRoot, "mail"));
            await WaitForSeededCatalogAsync(probe);
            var catalogPage = await probe.GetByteArrayAsync(new Uri(Api, "/api/v1/catalog/products?page=1&pageSize=24"));
            await using var floor = await StartFloorAsync(catalogPage.Length);
            Console.WriteLine($"floor: Kestrel serving {catalogPage.Length:N0} bytes from a byte array at {floor.Urls.First()}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load: {Connections} connections, closed loop, {Warmup.TotalSeconds:0} s warm-up, {Measure.TotalSeconds:0} s measured, loopback"));
            Console.WriteLine();

            var floorUrl = new Uri(new Uri(floor.Urls.First()), "/page");
            var routes = new (string Name, Uri Url, string? Token)[]
            {
                ("GET /api/v1/users/me", new Uri(Api, "/api/v1/users/me"), token),
                ("GET /api/v1/catalog/products?page=1&pageSize=24", new Uri(Api, "/api/v1/catalog/products?page=1&pageSize=24"), null),
                ("GET /api/v1/catalog/products?category=tops&page=1&pageSize=24", new Uri(Api, "/api/v1/catalog/products?category=tops&page=1&pageSize=24"), null),
            };
            // The floor is measured before and after the routes (a shared machine drifts over a run); each route's ratio
            // is to their mean.
            var results = new List<(string Name, double Rps, double P50, double P99)>();
            var before = await LoadAsync(floorUrl, null);
            foreach (var (name, url, bearer) in routes)
            {
                var (rps, p50, p99) = await LoadAsync(url, bearer);
                results.Add((name, rps, p50, p99));
            }

            var after = await LoadAsync(floorUrl, null);
            var floorRps = (before.Rps + after.Rps) / 2;
            Console.WriteLine("| route | rps | p50 ms | p99 ms | ratio to floor |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| floor (fixed page), before | {before.Rps:N0} | {before.P50:0.0} | {before.P99:0.0} | {before.Rps / floorRps:0.00} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| floor (fixed page), after | {after.Rps:N0} | {after.P50:0.0} | {after.P99:0.0} | {after.Rps / floorRps:0.00} |"));
            foreach (var (name, rps, p50, p99) in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {rps:N0} | {p50:0.0} | {p99:0.0} | {rps / floorRps:0.00} |"));
            }

            Console.WriteLine();
        }
        finally
        {
            appHost.Kill(entireProcessTree: true);
            await appHost.WaitForExitAsync();
            if (Directory.Exists(dataRoot))
            {
                Directory.Delete(dataRoot, recursive: true);
            }
        }
    }

    /// <summary>Runs the closed loop: each connection sends, waits for the whole answer, sends again.</summary>
    private static async Task<(double Rps, double P50, double P99)> LoadAsync(Uri url, string? bearer)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler);
        var measuring = false;
        var latencies = Enumerable.Range(0, Connections).Select(_ => new List<double>(100_000)).ToArray();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, Connections).Select(worker => Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (bearer is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                while (await body.ReadAsync(buffer) > 0)
                {
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
                }

                if (Volatile.Read(ref measuring))
                {
                    latencies[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        })).ToArray();
        await Task.Delay(Warmup);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(Measure);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(list => list).ToList();
        return (all.Count / elapsed.TotalSeconds, Stats.Percentile(all, 50), Stats.Percentile(all, 99));
    }

    /// <summary>The floor: a bare Kestrel app answering the same number of bytes from a byte array.</summary>
    private static async Task<WebApplication> StartFloorAsync(int size)
    {
        var page = new byte[size];
        Array.Fill(page, (byte)'x');
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ServiceProcesses.FreePort()}");
        var app = builder.Build();
        app.MapGet("/page", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(page).AsTask();
        });
        await app.StartAsync();
        return app;
    }

    private static async Task<string> SignUpAsync(HttpClient http, string mailDirectory)
    {
        var email = $"bench-http-{Guid.NewGuid():N}@example.com";
        using var signup = await http.PostAsJsonAsync(new Uri(Api, "/api/v1/auth/signup"), new { email, password = "benchmark password", name = "Bench" });
        signup.EnsureSuccessStatusCode();
        var token = (await signup.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tokens").GetProperty("access_token").GetString()!;
        using var verified = await http.PostAsJsonAsync(new Uri(Api, "/api/v1/auth/verify-email"), new { email, code = await BenchMail.VerificationCodeAsync(mailDirectory, email) });
        verified.EnsureSuccessStatusCode();
        return token;
    }

    /// <summary>The first start seeds the catalog in the background: waits until its size holds still for a second.</summary>
    private static async Task WaitForSeededCatalogAsync(HttpClient http)
    {
        var last = -1;
        for (var attempt = 0; attempt < 120; attempt++)
        {
            var page = await http.GetFromJsonAsync<JsonElement>(new Uri(Api, "/api/v1/catalog/products?page=1&pageSize=1"));
            var total = page.GetProperty("total").GetInt32();
            if (total > 0 && total == last)
            {
                return;
            }

            last = total;
            await Task.Delay(1000);
        }

        throw new TimeoutException("The catalog was still being seeded after two minutes.");
    }

    private static async Task WaitHealthyAsync(HttpClient http, Uri service)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var health = await http.GetAsync(new Uri(service, "/health"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{service} was not healthy within a minute.");
    }

    private static async Task RunToEndAsync(string root, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{await output}{await errors}");
        }
    }
}
