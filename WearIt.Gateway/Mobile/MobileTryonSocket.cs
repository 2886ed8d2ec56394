using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.ServiceDiscovery;

namespace WearIt.Gateway.Mobile;

/// <summary>The app's <c>tryon_update</c> message.</summary>
public sealed record TryonUpdateMessage(
    string? TryonId, string Status, string? OutputUrl, string? BodyId, string? ClothingId, string? CreatedAt, int Version, string? Error, string? ErrorCode)
{
    public string Type => "tryon_update";
}

/// <summary>
/// <c>WS /mobile/v1/tryon/ws?token=</c>: TryonService's try-on socket for the user, in the app's words. Each try-on's
/// events become a <c>tryon_update</c> when its status in the app's terms changes (<c>pending</c>, <c>ready</c>,
/// <c>failed</c>), with the try-on's fields read from TryonService's API. TryonService's close codes (4401 for a bad
/// token or an ended session, 4429, 1001) reach the app as they are.
/// </summary>
public static partial class MobileTryonSocket
{
    private const int MaxUpstreamMessageBytes = 64 * 1024;
    private static readonly JsonSerializerOptions UpstreamJson = new(JsonSerializerDefaults.Web);

    public static async Task AcceptAsync(HttpContext http, WearItServices services, ServiceEndpointResolver resolver, ILoggerFactory loggers)
    {
        using var app = await MobileSockets.AcceptAsync(http);
        if (app is null)
        {
            return;
        }

        var (socket, token, clientClosed) = (app.Socket, app.Token, app.Closed);
        var cancellationToken = http.RequestAborted;
        if (token is null)
        {
            await app.CloseAsync(MobileSockets.Unauthorized, "unauthorized");
            return;
        }

        using var upstream = new ClientWebSocket();
        upstream.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        if (http.Connection.RemoteIpAddress is { } address)
        {
            upstream.Options.SetRequestHeader("X-Forwarded-For", address.ToString());
        }

        try
        {
            await upstream.ConnectAsync(await UpstreamAsync(resolver, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or InvalidOperationException)
        {
            LogUpstreamUnavailable(loggers.CreateLogger(typeof(MobileTryonSocket)), (ex.InnerException ?? ex).Message);
            await app.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "WearIt is unavailable; reconnect shortly.");
            return;
        }

        using var relay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var relaying = RelayAsync(http, services, token, upstream, socket, loggers.CreateLogger(typeof(MobileTryonSocket)), relay.Token);
        await Task.WhenAny(relaying);
        if (clientClosed.IsCompleted)
        {
            // The app left: leave TryonService too.
            await CloseUpstreamAsync(upstream);
            await relay.CancelAsync();
            await relaying;
            return;
        }

        var (status, description) = await relaying;
        await app.CloseAsync(status, description);
    }

    /// <summary>Turns TryonService's events into the app's updates until TryonService closes; returns its close.</summary>
    private static async Task<(WebSocketCloseStatus Status, string Description)> RelayAsync(
        HttpContext http, WearItServices services, string token, ClientWebSocket upstream, WebSocket socket, ILogger logger, CancellationToken cancellationToken)
    {
        var sent = new Dictionary<string, string>();
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await upstream.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                    buffer.Advance(received.Count);
                    if (buffer.WrittenCount > MaxUpstreamMessageBytes)
                    {
                        return (WebSocketCloseStatus.MessageTooBig, "");
                    }
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return (upstream.CloseStatus ?? WebSocketCloseStatus.NormalClosure, upstream.CloseStatusDescription ?? "");
                }

                if (Event(buffer.WrittenSpan) is not ({ } tryonId, { } status) || sent.GetValueOrDefault(tryonId) == status)
                {
                    continue;
                }

                TryonUpdateMessage update;
                try
                {
                    var tryon = MobileTryonEndpoints.Tryon(await services.SendAsync(http, WearItServices.Tryon, HttpMethod.Get, $"/api/v1/tryons/{tryonId}",
                        bearer: token, cancellationToken: cancellationToken));
                    update = new TryonUpdateMessage(tryon.Id, tryon.Status, tryon.OutputUrl, tryon.BodyId, tryon.ClothingId, tryon.CreatedAt, tryon.Version,
                        tryon.Error, tryon.ErrorCode);
                }
                catch (MobileProblem problem) when (problem.Status == StatusCodes.Status404NotFound)
                {
                    // Deleted meanwhile: there is nothing to show.
                    continue;
                }

                if (sent.GetValueOrDefault(tryonId) == update.Status)
                {
                    continue;
                }

                sent[tryonId] = update.Status;
                await MobileSockets.SendAsync(socket, update, cancellationToken);
            }
        }
        catch (MobileProblem problem) when (problem.Status == StatusCodes.Status401Unauthorized)
        {
            return (MobileSockets.Unauthorized, "unauthorized");
        }
        catch (MobileProblem problem)
        {
            // A try-on's fields could not be read: the app reconnects, and its list shows the try-on's state.
            LogReadFailed(logger, problem.Status, problem.Code);
            return (WebSocketCloseStatus.EndpointUnavailable, "WearIt is unavailable; reconnect shortly.");
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return (WebSocketCloseStatus.EndpointUnavailable, "");
        }
    }

    /// <summary>The try-on and its status in the app's terms, when the frame is a try-on event (<c>tryon.*</c>).</summary>
    private static (string? TryonId, string? Status) Event(ReadOnlySpan<byte> frame)
    {
        try
        {
            var message = JsonSerializer.Deserialize<UpstreamEvent>(frame, UpstreamJson);
            return message?.Type switch
            {
                "tryon.queued" or "tryon.progress" => (message.TryonId, "pending"),
                "tryon.succeeded" => (message.TryonId, "ready"),
                "tryon.failed" or "tryon.canceled" => (message.TryonId, "failed"),
                _ => (null, null),
            };
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    /// <summary>
    /// TryonService's socket, found by service discovery (a WebSocket client does not go through the named HTTP
    /// client's resolving handler): one of its instances, at random.
    /// </summary>
    private static async Task<Uri> UpstreamAsync(ServiceEndpointResolver resolver, CancellationToken cancellationToken)
    {
        var endpoints = (await resolver.GetEndpointsAsync("http://tryonservice", cancellationToken)).Endpoints;
        if (endpoints.Count == 0)
        {
            throw new InvalidOperationException("No TryonService instance is known.");
        }

        var authority = endpoints[Random.Shared.Next(endpoints.Count)].EndPoint switch
        {
            UriEndPoint uri => uri.Uri.Authority,
            DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            IPEndPoint ip => ip.ToString(),
            var other => throw new InvalidOperationException($"TryonService's endpoint {other} has no address."),
        };
        return new Uri($"ws://{authority}/api/v1/tryons/ws");
    }

    private sealed record UpstreamEvent(string? Type, string? TryonId);

    private static async Task CloseUpstreamAsync(ClientWebSocket upstream)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await upstream.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            upstream.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mobile try-on socket could not read a try-on ({Status} {Code}); it is closed")]
    private static partial void LogReadFailed(ILogger logger, int status, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mobile try-on socket could not reach TryonService ({Error})")]
    private static partial void LogUpstreamUnavailable(ILogger logger, string error);
}
