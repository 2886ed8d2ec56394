using System.Net.WebSockets;
using System.Text.Json;

namespace WearIt.Tests.Support;

/// <summary>Reads the try-on WebSocket's JSON text frames in tests.</summary>
public static class SocketMessages
{
    /// <summary>Reads one whole message; fails the test if the server closes instead.</summary>
    public static async Task<JsonElement> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        Assert.True(result.MessageType != WebSocketMessageType.Close, $"The server closed the socket: {socket.CloseStatus} {socket.CloseStatusDescription}");
        return JsonSerializer.Deserialize<JsonElement>(buffer.AsSpan(0, length));
    }

    /// <summary>Every message up to and including the first whose type is one of <paramref name="types"/>.</summary>
    public static async Task<List<JsonElement>> ReceiveUntilAsync(WebSocket socket, CancellationToken cancellationToken, params string[] types)
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var message = await ReceiveAsync(socket, cancellationToken);
            messages.Add(message);
            if (types.Contains(message.GetProperty("type").GetString()))
            {
                return messages;
            }
        }
    }
}
