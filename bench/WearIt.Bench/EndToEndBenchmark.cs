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
    // One user alone runs more, for a steadier median.
    private const int JobsAlone = 12;
    private const int EngineRuns = 10;

    public static async Task RunAsync(ServiceProcesses services, byte[] photo)
    {
        using var http = new HttpClient();
        var top = (await http.GetFromJsonAsync<JsonElement>(new Uri(services.Api, "/api/v1/catalog/products?category=tops&pageSize=1"))).GetProperty("items")[0].GetProperty("id").GetGuid();
        var (engine, engineStages) = await EngineTimeAsync(services, http, photo, top);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine alone (fast, the catalog's first top, analysis made once): p50 {engine:0} ms of {EngineRuns} runs"));
        Console.WriteLine($"  its stages, median ms from its start: {Timeline(engineStages)}");
        Console.WriteLine();
        Console.WriteLine($"| users | try-ons | p50 ms | p95 ms | p99 ms | overhead p50 ms | overhead p95 ms | wall s |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var timeline = "";
        foreach (var users in new[] { 1, 8, 32 })
        {
            var accounts = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => services.NewUserAsync(http, photo)));
            var wall = Stopwatch.StartNew();
            if (users == 1)
            {
                // The services' first try-on pays for their JIT and caches; a user's later ones do not.
                await RunUserAsync(services, accounts[0], 1);
            }

            var jobs = users == 1 ? JobsAlone : JobsPerUser;
            var runs = (await Task.WhenAll(accounts.Select(account => RunUserAsync(services, account, jobs)))).SelectMany(times => times).ToList();
            var latencies = runs.Select(run => run.Total).ToList();
            if (users == 1)
            {
                timeline = Timeline(runs.SelectMany(run => run.Marks));
            }

            var (p50, p95) = (Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 95));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {users} | {latencies.Count} | {p50:0} | {p95:0} | {Stats.Percentile(latencies, 99):0} | {p50 - engine:0} | {p95 - engine:0} | {wall.Elapsed.TotalSeconds:0.0} |"));
        }

        Console.WriteLine();
        Console.WriteLine($"one user's try-on as its socket sees it, median ms from sending start: {timeline}");
        Console.WriteLine();
    }

    /// <summary>"label ms | label ms …": the median time of each mark, in the order of those medians.</summary>
    private static string Timeline(IEnumerable<(string Label, double Ms)> marks) =>
        string.Join(" | ", marks.GroupBy(mark => mark.Label)
            .Select(group => (group.Key, Ms: Stats.Percentile([.. group.Select(mark => mark.Ms)], 50)))
            .OrderBy(mark => mark.Ms)
            .Select(mark => string.Create(CultureInfo.InvariantCulture, $"{mark.Key} {mark.Ms:0}")));

    /// <summary>Records when each stage is reported, on the engine's own thread (a <see cref="Progress{T}"/> would post it).</summary>
    private sealed class StageClock : IProgress<TryonProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public List<(string Label, double Ms)> Marks { get; } = [];

        public void Report(TryonProgress value) => Marks.Add((value.Stage, _clock.Elapsed.TotalMilliseconds));

        public void End() => Marks.Add(("end", _clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>The engine's p50 on the inputs the try-ons use: the photo (analysed once) and the catalog product's image.</summary>
    private static async Task<(double P50, List<(string Label, double Ms)> Stages)> EngineTimeAsync(ServiceProcesses services, HttpClient http, byte[] photo, Guid top)
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
        var stages = new List<(string Label, double Ms)>();
        for (var run = 0; run < EngineRuns; run++)
        {
            var clock = new StageClock();
            await pose.RunAsync(request, clock, CancellationToken.None);
            clock.End();
            times.Add(clock.Marks[^1].Ms);
            stages.AddRange(clock.Marks);
        }

        return (Stats.Percentile(times, 50), stages);
    }

    /// <summary>Each try-on's accept-to-succeeded time, and when each message arrived (a progress one by its stage).</summary>
    private static async Task<List<(double Total, List<(string Label, double Ms)> Marks)>> RunUserAsync(ServiceProcesses services, (string Token, Guid Body, Guid Top) account, int jobs)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{services.Tryon.Authority}/api/v1/tryons/ws?access_token={account.Token}"), CancellationToken.None);
        var times = new List<(double, List<(string, double)>)>();
        for (var job = 0; job < jobs; job++)
        {
            var clock = Stopwatch.StartNew();
            var start = new { type = "start", request = new { bodyId = account.Body, items = new[] { new { source = "catalog", id = account.Top } }, mode = "fast", seed = job } };
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(start), WebSocketMessageType.Text, true, CancellationToken.None);
            var marks = new List<(string, double)>();
            while (true)
            {
                var message = await ReceiveAsync(socket);
                var type = message.GetProperty("type").GetString();
                marks.Add((type == "tryon.progress" ? message.GetProperty("stage").GetString()! : type!, clock.Elapsed.TotalMilliseconds));
                if (type is "tryon.failed" or "error")
                {
                    throw new InvalidOperationException($"A try-on failed: {message}");
                }

                if (type == "tryon.succeeded")
                {
                    break;
                }
            }

            times.Add((clock.Elapsed.TotalMilliseconds, marks));
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

/// <summary>
/// TryonService's resident memory per idle open WebSocket at 1,000 of them: 250 users with 4 each (within the per-user
/// limit of 5), each socket with a receive pending as a real client's has (so it answers the server's
/// keep-alive pings) and each answering a ping of its own before and after the count. 40 sockets are opened first and
/// left open, so what the first ones pay once (code, pools) is in the baseline and not in the figure.
/// </summary>
internal static class SocketMemoryBenchmark
{
    private const int SocketsPerUser = 4;
    private const int WarmUsers = 10;
    private const int Users = 250;

    public static async Task RunAsync(ServiceProcesses services)
    {
        using var http = new HttpClient();
        var tokens = new List<string>();
        for (var i = 0; i < WarmUsers + Users; i++)
        {
            tokens.Add(await services.SignUpAsync(http));
        }

        var warm = await OpenAsync(services, tokens[..WarmUsers]);
        await Task.Delay(2000);
        var before = WorkingSet(services);
        var sockets = await OpenAsync(services, tokens[WarmUsers..]);
        await Task.Delay(5000);
        var after = WorkingSet(services);
        foreach (var socket in sockets)
        {
            await socket.PingAsync();
        }

        Console.WriteLine("| idle sockets (all answering) | working set before MiB | after MiB | per socket KiB |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {sockets.Count} | {before / 1048576.0:0.0} | {after / 1048576.0:0.0} | {(after - before) / 1024.0 / sockets.Count:0.0} |"));
        foreach (var socket in warm.Concat(sockets))
        {
            socket.Dispose();
        }
    }

    private static async Task<List<IdleSocket>> OpenAsync(ServiceProcesses services, List<string> tokens)
    {
        var sockets = new List<IdleSocket>();
        foreach (var token in tokens)
        {
            for (var i = 0; i < SocketsPerUser; i++)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(new Uri($"ws://{services.Tryon.Authority}/api/v1/tryons/ws?access_token={token}"), CancellationToken.None);
                var idle = new IdleSocket(socket);
                await idle.PingAsync();
                sockets.Add(idle);
            }
        }

        return sockets;
    }

    private static long WorkingSet(ServiceProcesses services)
    {
        services.TryonProcess.Refresh();
        return services.TryonProcess.WorkingSet64;
    }

    /// <summary>A client's socket that always has a receive pending, as a browser's has.</summary>
    private sealed class IdleSocket(ClientWebSocket socket) : IDisposable
    {
        private readonly byte[] _buffer = new byte[1024];
        private Task<WebSocketReceiveResult>? _receiving;

        public async Task PingAsync()
        {
            _receiving ??= socket.ReceiveAsync(_buffer, CancellationToken.None);
            await socket.SendAsync("""{"type":"ping","requestId":"bench"}"""u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            var result = await _receiving;
            var pong = result.MessageType == WebSocketMessageType.Text
                && JsonSerializer.Deserialize<JsonElement>(_buffer.AsSpan(0, result.Count)).GetProperty("type").GetString() == "pong";
            if (!pong)
            {
                throw new InvalidOperationException($"A socket answered its ping with {result.MessageType} {socket.CloseStatus} {socket.CloseStatusDescription}.");
            }

            _receiving = socket.ReceiveAsync(_buffer, CancellationToken.None);
        }

        public void Dispose()
        {
            socket.Abort();
            socket.Dispose();
        }
    }
}
