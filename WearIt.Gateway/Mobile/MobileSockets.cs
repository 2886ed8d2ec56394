using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace WearIt.Gateway.Mobile;

/// <summary>What the app's two sockets share: the token, the close handshake, the JSON frames, the per-user limit.</summary>
public static class MobileSockets
{
    /// <summary>Close code for a missing, bad or expired token, or an ended session.</summary>
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;

    /// <summary>Close code for a socket past <see cref="MobileOptions.MaxBodySocketsPerUser"/>.</summary>
    public const WebSocketCloseStatus TooManySockets = (WebSocketCloseStatus)4429;

    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    /// <summary>The app's token: <c>?token=</c> (what it sends), else the Authorization header.</summary>
    public static string? Token(HttpContext http) =>
        http.Request.Query["token"].ToString() is { Length: > 0 } token
            ? token
            : http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? header["Bearer ".Length..].Trim()
                : null;

    /// <summary>Answers a plain HTTP request to a socket route with a 400 problem.</summary>
    public static Task RefuseAsync(HttpContext http) =>
        MobileProblem.BadRequest("This route speaks WebSocket only.", "websocket_required").ToResult(http).ExecuteAsync(http);

    public static Task SendAsync(WebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), MobileJson.Options), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Reads (and drops) what the app sends until it closes; the app only listens.</summary>
    public static async Task WaitForCloseAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[256];
        try
        {
            while (socket.State == WebSocketState.Open || socket.State == WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(buffer, cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The connection went away without a close: nothing is left to read.
        }
    }

    /// <summary>Closes the app's socket (answering its close, or starting ours) and waits briefly for the handshake.</summary>
    public static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string description, Task clientClosed)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseWait);
                await socket.CloseOutputAsync(status, description, timeout.Token);
            }

            await clientClosed.WaitAsync(CloseWait);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            // The app did not answer the close in time: dropping the connection is all that is left.
            socket.Abort();
        }
    }
}

/// <summary>Body sockets open per user on this instance.</summary>
public sealed class MobileSocketLimits
{
    private readonly ConcurrentDictionary<string, int> _open = new();

    /// <summary>A slot for one more of the user's sockets, or null past <paramref name="max"/>; disposing it frees the slot.</summary>
    public IDisposable? TryOpen(string userId, int max)
    {
        while (true)
        {
            var count = _open.GetOrAdd(userId, 0);
            if (count >= max)
            {
                return null;
            }

            if (_open.TryUpdate(userId, count + 1, count))
            {
                return new Slot(this, userId);
            }
        }
    }

    private void Release(string userId)
    {
        while (_open.TryGetValue(userId, out var count))
        {
            if (count <= 1 ? _open.TryRemove(new KeyValuePair<string, int>(userId, count)) : _open.TryUpdate(userId, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed class Slot(MobileSocketLimits limits, string userId) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limits.Release(userId);
            }
        }
    }
}
