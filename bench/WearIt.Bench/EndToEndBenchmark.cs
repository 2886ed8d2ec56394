using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;

namespace WearIt.Bench;

/// <summary>Accept-to-<c>tryon.succeeded</c> latency with 1, 8 and 32 concurrent WebSocket users.</summary>
internal static class EndToEndBenchmark
{
    private const int JobsPerUser = 3;

    public static async Task RunAsync(ServiceProcesses services, byte[] photo)
    {
        using var http = new HttpClient();
        Console.WriteLine($"| users | try-ons | p50 ms | p95 ms | p99 ms | wall s |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var users in new[] { 1, 8, 32 })
        {
            var accounts = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => services.NewUserAsync(http, photo)));
            var wall = Stopwatch.StartNew();
            var latencies = (await Task.WhenAll(accounts.Select(account => RunUserAsync(services, account)))).SelectMany(times => times).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {users} | {latencies.Count} | {Stats.Percentile(latencies, 50):0} | {Stats.Percentile(latencies, 95):0} | {Stats.Percentile(latencies, 99):0} | {wall.Elapsed.TotalSeconds:0.0} |"));
        }

        Console.WriteLine();
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
