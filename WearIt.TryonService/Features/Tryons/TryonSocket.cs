using System.Net.WebSockets;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.OpenApi;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// <c>GET /api/v1/tryons/ws</c>: the user's try-on events as JSON text frames, from the durable event log (so any
/// instance serves any client), plus <c>start</c>, <c>cancel</c> and <c>resume</c> from the client. The protocol is
/// specified in docs/tryon-websocket.md.
/// </summary>
public static class TryonSocket
{
    public const string Path = "/api/v1/tryons/ws";

    /// <summary>Close code for a missing, bad or expired token (nothing else is sent first).</summary>
    public const WebSocketCloseStatus Unauthorized = (WebSocketCloseStatus)4401;

    /// <summary>Close code for a socket past the user's <see cref="TryonOptions.MaxSocketsPerUser"/>.</summary>
    public const WebSocketCloseStatus TooManySockets = (WebSocketCloseStatus)4429;

    // A client that does not read its events in time gets no close code: its connection is aborted (SendAsync).

    /// <summary>Close code when this instance stops (a deploy, a scale-in): the client reconnects, to another one.</summary>
    public const WebSocketCloseStatus ServerStopping = WebSocketCloseStatus.EndpointUnavailable;

    // How long a client has to answer the server's close before its socket is aborted.
    internal static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    internal const int MaxMessageBytes = 16 * 1024;

    // What an idle socket holds to read the client's next message; a longer one grows it up to MaxMessageBytes.
    internal const int FirstReadBytes = 512;

    public static IEndpointRouteBuilder MapTryonSocket(this IEndpointRouteBuilder app)
    {
        app.Map(Path, AcceptAsync).WithTags("Try-ons").WithName("TryonSocket").ProducesProblems(400, 403)
            .WithSummary("WebSocket of the user's try-on events; token as access_token query parameter or Authorization header.");
        return app;
    }

    private static async Task AcceptAsync(HttpContext http, UserLimits limits, TryonSocketSessions sessions, IConfiguration configuration)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw new DomainException(ErrorKind.Validation, "websocket_required", "This endpoint speaks WebSocket only.");
        }

        if (!WebAppOrigins.IsAllowed(http, configuration))
        {
            throw new DomainException(ErrorKind.Forbidden, "origin_not_allowed", "This page's origin may not open try-on sockets.");
        }

        // The authentication middleware has read the token (the default scheme, from the access_token parameter).
        var user = http.User.Identity?.IsAuthenticated == true ? UserSession.Of(http.User) : null;
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        if (user is not { } session)
        {
            await socket.CloseAsync(Unauthorized, "unauthorized", http.RequestAborted);
            return;
        }

        using var slot = limits.TryOpenSocket(session.UserId);
        if (slot is null)
        {
            await socket.CloseAsync(TooManySockets, "too_many_sockets", http.RequestAborted);
            return;
        }

        // A reconnecting client names the last seq it saw in the URL, so the replay starts before any live event.
        long? resumeAfter = long.TryParse(http.Request.Query["lastSeq"], out var lastSeq) && lastSeq >= 0 ? lastSeq : null;
        var socketSession = new TryonSocketSession(socket, session, slot, sessions, resumeAfter);
        TryonMetrics.SocketOpened();
        try
        {
            await socketSession.RunAsync(http.RequestAborted);
        }
        finally
        {
            TryonMetrics.SocketClosed();
        }
    }
}
