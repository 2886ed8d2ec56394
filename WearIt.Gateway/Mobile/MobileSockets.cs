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
        http.Request.Query["token"].ToString() is { Length: > 0 } token ? token : Bearer(http);

    /// <summary>The token of the Authorization header (the one a call forwards to the services).</summary>
    public static string? Bearer(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : null;

    /// <summary>
    /// The <c>sub</c> of a token a service has just accepted (this reads, it does not check: only after a service
    /// answered the token's request is its subject known to be the caller).
    /// </summary>
    public static string? Subject(string? acceptedToken)
    {
        var parts = acceptedToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(parts[1]));
            return claims.RootElement.Text("sub");
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Accepts the app's socket and starts reading it for its close; null, after a 400 problem, for a plain HTTP request.
    /// </summary>
    public static async Task<AppSocket?> AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await MobileProblem.BadRequest("This route speaks WebSocket only.", "websocket_required").ToResult(http).ExecuteAsync(http);
            return null;
        }

        var socket = await http.WebSockets.AcceptWebSocketAsync();
        return new AppSocket(socket, Token(http), WaitForCloseAsync(socket, http.RequestAborted));
    }

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

/// <summary>The app's accepted socket, the token it came with, and a task that ends when the app closes it.</summary>
public sealed record AppSocket(WebSocket Socket, string? Token, Task Closed) : IDisposable
{
    public Task CloseAsync(WebSocketCloseStatus status, string description) => MobileSockets.CloseAsync(Socket, status, description, Closed);

    public void Dispose() => Socket.Dispose();
}
