using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using SkiaSharp;
using WearIt.TryonService.Engine;

namespace WearIt.Bench;

/// <summary>
/// Accept-to-<c>tryon.succeeded</c> latency with 1, 8 and 32 concurrent WebSocket users, and the overhead: that
/// latency minus the engine's own time for the same photo, garment and mode, measured in this process in the same run
/// (one thread, on the photo's analysis made once, as the service runs on the analysis stored at upload).
/// </summary>
internal static class EndToEndBenchmark
{
    private const int JobsPerUser = 3;
    private const int EngineRuns = 10;

    public static async Task RunAsync(ServiceProcesses services, byte[] photo)
    {
        using var http = new HttpClient();
        var top = (await http.GetFromJsonAsync<JsonElement>(new Uri(services.Api, "/api/v1/catalog/products?category=tops&pageSize=1"))).GetProperty("items")[0].GetProperty("id").GetGuid();
        var engine = await EngineTimeAsync(services, http, photo, top);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine alone (fast, the catalog's first top, analysis made once): p50 {engine:0} ms of {EngineRuns} runs"));
        Console.WriteLine();
        Console.WriteLine($"| users | try-ons | p50 ms | p95 ms | p99 ms | overhead p50 ms | overhead p95 ms | wall s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var users in new[] { 1, 8, 32 })
        {
            var accounts = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => services.NewUserAsync(http, photo)));
            var wall = Stopwatch.StartNew();
            var latencies = (await Task.WhenAll(accounts.Select(account => RunUserAsync(services, account)))).SelectMany(times => times).ToList();
            var (p50, p95) = (Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 95));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {users} | {latencies.Count} | {p50:0} | {p95:0} | {Stats.Percentile(latencies, 99):0} | {p50 - engine:0} | {p95 - engine:0} | {wall.Elapsed.TotalSeconds:0.0} |"));
        }

        Console.WriteLine();
    }

    /// <summary>The engine's p50 on the inputs the try-ons use: the photo (analysed once) and the catalog product's image.</summary>
    private static async Task<double> EngineTimeAsync(ServiceProcesses services, HttpClient http, byte[] photo, Guid top)
    {
        var product = await http.GetFromJsonAsync<JsonElement>(new Uri(services.Api, $"/api/v1/catalog/products/{top}"));
        var garment = await http.GetByteArrayAsync(product.GetProperty("images")[0].GetProperty("url").GetString());
        using var models = EngineModels.Load();
        var pose = new PoseTryonEngine(models.Analyzer, models.Garments);
        // Decoded and capped as the body analysis at upload does it.
        using var bitmap = EngineImages.DecodeUpright(photo, PoseTryonEngine.QualityLongSide, "body_image_invalid");
        var request = new TryonRequest(photo, [new GarmentInput(product.GetProperty("clothType").GetString()!, garment, product.GetProperty("title").GetString()!)],
            TryonMode.Fast, 1, models.Analyzer.Analyse(bitmap));
        await pose.RunAsync(request, new Progress<TryonProgress>(), CancellationToken.None); // warm-up
        var times = new List<double>();
        for (var run = 0; run < EngineRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            await pose.RunAsync(request, new Progress<TryonProgress>(), CancellationToken.None);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return Stats.Percentile(times, 50);
    }

    private static async Task<List<double>> RunUserAsync(ServiceProcesses services, (string Token, Guid Body, Guid Top) account)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{services.Tryon.Authority}/api/v1/tryons/ws?access_token={account.Token}"), CancellationToken.None);
        var times = new List<double>();
        for (var job = 0; job < JobsPerUser; job++)
        {
            var clock = Stopwatch.StartNew();
            var start = new { type = "start", request = new { bodyId = account.Body, items = new[] { new { source = "catalog", id = account.Top } }, mode = "fast", seed = job } };
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(start), WebSocketMessageType.Text, true, CancellationToken.None);
            while (true)
            {
                var message = await ReceiveAsync(socket);
                var type = message.GetProperty("type").GetString();
                if (type is "tryon.failed" or "error")
                {
                    throw new InvalidOperationException($"A try-on failed: {message}");
                }

                if (type == "tryon.succeeded")
                {
                    break;
                }
            }

            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        return times;
    }

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return JsonSerializer.Deserialize<JsonElement>(buffer.AsSpan(0, length));
    }
}

/// <summary>TryonService's resident memory per idle open WebSocket, with 1,000 of them.</summary>
internal static class SocketMemoryBenchmark
{
    private const int Sockets = 1000;

    public static async Task RunAsync(ServiceProcesses services, byte[] photo)
    {
        using var http = new HttpClient();
        // A real photo: a blank one is refused by the body analysis (no person), and the user needs a ready body.
        var (token, _, _) = await services.NewUserAsync(http, photo);
        await Task.Delay(2000);
        var before = WorkingSet(services);
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < Sockets; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri($"ws://{services.Tryon.Authority}/api/v1/tryons/ws?access_token={token}"), CancellationToken.None);
            sockets.Add(socket);
        }

        await Task.Delay(5000);
        var after = WorkingSet(services);
        Console.WriteLine("| idle sockets | working set before MiB | after MiB | per socket KiB |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {Sockets} | {before / 1048576.0:0.0} | {after / 1048576.0:0.0} | {(after - before) / 1024.0 / Sockets:0.0} |"));
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    private static long WorkingSet(ServiceProcesses services)
    {
        services.TryonProcess.Refresh();
        return services.TryonProcess.WorkingSet64;
    }
}
