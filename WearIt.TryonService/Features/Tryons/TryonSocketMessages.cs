using System.Text.Json;
using System.Text.Json.Serialization;

namespace WearIt.TryonService.Features.Tryons;

// The try-on socket's protocol (docs/tryon-websocket.md) as types, read and written only by SocketMessages.

/// <summary>What a client sends: <c>start</c>, <c>cancel</c>, <c>resume</c> or <c>ping</c>, with the fields each one uses.</summary>
internal sealed record ClientMessage(string? Type, string? RequestId, CreateTryonRequest? Request, string? IdempotencyKey, Guid? TryonId, long? LastSeq);

/// <summary>Everything the server sends has a <c>type</c>.</summary>
internal abstract record ServerMessage(string Type);

/// <summary>The answer to <c>start</c>: the try-on it accepted.</summary>
internal sealed record StartedMessage(string? RequestId, Guid TryonId, int Version) : ServerMessage("started");

/// <summary>The answer to <c>ping</c>.</summary>
internal sealed record PongMessage(string? RequestId) : ServerMessage("pong");

/// <summary>A message that could not be done: the same codes and field errors as the HTTP API's problem details.</summary>
internal sealed record ErrorMessage(string? RequestId, string Code, string Message, IReadOnlyDictionary<string, string[]>? Errors = null)
    : ServerMessage("error");

/// <summary>One event of the user's try-ons (<c>tryon.queued</c>, <c>tryon.progress</c>, …), with its place in the log.</summary>
internal sealed record EventMessage(
    string EventType, long Seq, Guid TryonId, string? Stage, int? Percent, Uri? PreviewUrl, Uri? ResultUrl, int? Width, int? Height,
    string? Code, string? Message, DateTime At) : ServerMessage(EventType)
{
    [JsonIgnore]
    public string EventType { get; init; } = EventType;
}

internal static class SocketMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The client's message, or null when it is not JSON of that shape.</summary>
    public static ClientMessage? Read(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<ClientMessage>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One text frame's bytes; each message's own type decides its fields.</summary>
    public static byte[] Serialize(ServerMessage message) => JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Json);
}
