using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.ServiceDefaults.OpenApi;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// <c>GET /api/v1/tryons/ws</c>: the user's try-on events as JSON text frames, from the durable event log (so any
/// instance serves any client), plus <c>start</c>, <c>cancel</c> and <c>resume</c> from the client. The protocol is
/// specified in docs/tryon-websocket.md.
/// </summary>
public static partial class TryonSocket
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
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private const int MaxMessageBytes = 16 * 1024;

    // What an idle socket holds to read the client's next message; a longer one grows it up to MaxMessageBytes.
    private const int FirstReadBytes = 512;

    public static IEndpointRouteBuilder MapTryonSocket(this IEndpointRouteBuilder app)
    {
        app.Map(Path, AcceptAsync).WithTags("Try-ons").WithName("TryonSocket").ProducesProblems(400, 403)
            .WithSummary("WebSocket of the user's try-on events; token as access_token query parameter or Authorization header.");
        return app;
    }

    private static async Task AcceptAsync(HttpContext http, IServiceProvider services, ILoggerFactory loggers, IConfiguration configuration)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            throw new DomainException(ErrorKind.Validation, "websocket_required", "This endpoint speaks WebSocket only.");
        }

        if (!WebAppOrigins.IsAllowed(http, configuration))
        {
            throw new DomainException(ErrorKind.Forbidden, "origin_not_allowed", "This page's origin may not open try-on sockets.");
        }

        var authentication = await http.AuthenticateAsync();
        using var socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        if (!authentication.Succeeded)
        {
            await socket.CloseAsync(Unauthorized, "unauthorized", http.RequestAborted);
            return;
        }

        var limits = services.GetRequiredService<UserLimits>();
        var userId = authentication.Principal!.UserId();
        if (!limits.TryOpenSocket(userId))
        {
            await socket.CloseAsync(TooManySockets, "too_many_sockets", http.RequestAborted);
            return;
        }

        var logger = loggers.CreateLogger(typeof(TryonSocket));
        // A reconnecting client names the last seq it saw in the URL, so the replay starts before any live event.
        long? resumeAfter = long.TryParse(http.Request.Query["lastSeq"], out var lastSeq) && lastSeq >= 0 ? lastSeq : null;
        var session = new Session(socket, authentication.Principal!, services, logger, resumeAfter);
        TryonMetrics.SocketOpened();
        try
        {
            await session.RunAsync(http.RequestAborted);
        }
        finally
        {
            TryonMetrics.SocketClosed();
            limits.CloseSocket(userId);
        }
    }

    private sealed partial class Session(WebSocket socket, System.Security.Claims.ClaimsPrincipal principal, IServiceProvider services, ILogger logger, long? resumeAfter)
    {
        private readonly Guid userId = principal.UserId();
        private readonly SessionRevocations _revocations = services.GetRequiredService<SessionRevocations>();
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly ITryonEventLog _events = services.GetRequiredService<ITryonEventLog>();
        private readonly TimeSpan _sendTimeout = services.GetRequiredService<IOptions<TryonOptions>>().Value.SocketSendTimeout;
        private long _cursor = -1;
        private TryonEventFeed.Subscription? _feed;
        private readonly byte[] _readBuffer = new byte[FirstReadBytes];
        private CancellationTokenSource _stop = null!;

        public async Task RunAsync(CancellationToken aborted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            _stop = stop;
            // Subscribed before the first read, so no event between that read and the first wait goes unnoticed.
            using var feed = services.GetRequiredService<TryonEventFeed>().Subscribe(principal);
            _feed = feed;
            Interlocked.CompareExchange(ref _cursor, resumeAfter ?? await _events.LatestSeqAsync(userId, stop.Token), -1);
            var pump = PumpAsync(feed, stop.Token);
            try
            {
                await ReceiveAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                // The server closed and the client did not answer within CloseWait: the socket is aborted.
            }
            finally
            {
                await stop.CancelAsync();
                await pump.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        private async Task ReceiveAsync(CancellationToken cancellationToken)
        {
            while (socket.State == WebSocketState.Open)
            {
                var (kind, buffer, length) = await ReadMessageAsync(cancellationToken);
                if (kind == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                    }

                    return;
                }

                if (length < 0)
                {
                    await SendAsync(new ErrorMessage(null, "message_too_large", $"Messages are limited to {MaxMessageBytes} bytes."), cancellationToken);
                    continue;
                }

                if (await CloseIfOverAsync(cancellationToken))
                {
                    continue; // the close handshake ends the loop
                }

                await HandleAsync(Encoding.UTF8.GetString(buffer, 0, length), cancellationToken);
            }
        }

        /// <summary>
        /// Reads one whole message into a buffer that starts small and doubles up to <see cref="MaxMessageBytes"/>; a
        /// length of -1 means it was too large (and was read to its end).
        /// </summary>
        private async Task<(WebSocketMessageType Kind, byte[] Buffer, int Length)> ReadMessageAsync(CancellationToken cancellationToken)
        {
            var buffer = _readBuffer;
            var length = 0;
            var tooLarge = false;
            while (true)
            {
                if (!tooLarge && length == buffer.Length)
                {
                    if (buffer.Length >= MaxMessageBytes)
                    {
                        tooLarge = true;
                    }
                    else
                    {
                        Array.Resize(ref buffer, Math.Min(MaxMessageBytes, buffer.Length * 2));
                    }
                }

                var segment = tooLarge ? new ArraySegment<byte>(buffer) : new ArraySegment<byte>(buffer, length, buffer.Length - length);
                var result = await socket.ReceiveAsync(segment, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, buffer, 0);
                }

                length += tooLarge ? 0 : result.Count;
                if (result.EndOfMessage)
                {
                    return (result.MessageType, buffer, tooLarge ? -1 : length);
                }
            }
        }

        private async Task HandleAsync(string text, CancellationToken cancellationToken)
        {
            var message = SocketMessages.Read(text);

            try
            {
                switch (message?.Type)
                {
                    case "start" when message.Request is not null:
                        await using (var scope = services.CreateAsyncScope())
                        {
                            var accepted = await scope.ServiceProvider.GetRequiredService<TryonsService>()
                                .CreateAsync(userId, message.Request, message.IdempotencyKey, cancellationToken);
                            await SendAsync(new StartedMessage(message.RequestId, accepted.Id, accepted.Version), cancellationToken);
                        }

                        break;
                    case "cancel" when message.TryonId is { } id:
                        await using (var scope = services.CreateAsyncScope())
                        {
                            await scope.ServiceProvider.GetRequiredService<TryonsService>().CancelAsync(userId, id, cancellationToken);
                        }

                        break;
                    case "resume" when message.LastSeq is >= 0:
                        Interlocked.Exchange(ref _cursor, message.LastSeq.Value);
                        _feed?.Wake();
                        break;
                    case "ping":
                        await SendAsync(new PongMessage(message.RequestId), cancellationToken);
                        break;
                    default:
                        await SendAsync(new ErrorMessage(null, "bad_message", "Send start, cancel, resume or ping as described in docs/tryon-websocket.md."), cancellationToken);
                        break;
                }
            }
            catch (DomainException ex)
            {
                await SendAsync(new ErrorMessage(message?.RequestId, ex.Code, ex.Message, ex.Errors), cancellationToken);
            }
        }

        /// <summary>
        /// Sends every event after the cursor, reading the log when the feed says there is something to read: memory stays
        /// flat however far behind a client is, and an idle socket makes no query.
        /// </summary>
        private async Task PumpAsync(TryonEventFeed.Subscription feed, CancellationToken cancellationToken)
        {
            var jobs = services.GetRequiredService<ITryonJobRepository>();
            var objects = services.GetRequiredService<IObjectStore>();
            var lifetime = services.GetRequiredService<IOptions<TryonOptions>>().Value.UrlLifetime;
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await CloseIfOverAsync(cancellationToken))
                {
                    return;
                }

                var cursor = Interlocked.Read(ref _cursor);
                var batch = await _events.ListAfterAsync(userId, cursor, 50, cancellationToken);
                foreach (var tryonEvent in batch)
                {
                    if (Interlocked.Read(ref _cursor) != cursor)
                    {
                        break; // a resume moved the cursor; start again from there
                    }

                    await SendAsync(await ToMessageAsync(tryonEvent, jobs, objects, lifetime, cancellationToken), cancellationToken);
                    Interlocked.CompareExchange(ref _cursor, tryonEvent.Seq, cursor);
                    cursor = tryonEvent.Seq;
                }

                if (batch.Count == 0)
                {
                    await feed.WaitAsync(cancellationToken);
                }
            }
        }

        private async Task<EventMessage> ToMessageAsync(TryonEvent e, ITryonJobRepository jobs, IObjectStore objects, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            Uri? previewUrl = e.PreviewKey is null ? null : await objects.GetSignedGetUrlAsync(e.PreviewKey, lifetime, cancellationToken);
            Uri? resultUrl = null;
            int? width = null, height = null;
            if (e.Type == "tryon.succeeded" && await jobs.FindAsync(userId, e.JobId, cancellationToken) is { ResultKey: { } key } job)
            {
                resultUrl = await objects.GetSignedGetUrlAsync(key, lifetime, cancellationToken);
                (width, height) = (job.ResultWidth, job.ResultHeight);
            }

            return new EventMessage(e.Type, e.Seq, e.JobId, e.Stage, e.Percent, previewUrl, resultUrl, width, height, e.ErrorCode, e.ErrorMessage, e.CreatedAt);
        }

        /// <summary>
        /// Closes the socket once it is over: with 4401 <c>session_ended</c> once its session has ended (logout, password
        /// change, account deletion elsewhere: it may start nothing more and hear nothing more), with 1001
        /// <c>server_stopping</c> once the instance stops. A client that does not answer the close within
        /// <see cref="CloseWait"/> is aborted.
        /// </summary>
        private async Task<bool> CloseIfOverAsync(CancellationToken cancellationToken)
        {
            var (status, reason) = _revocations.Ended(principal) ? (Unauthorized, "session_ended")
                : _feed?.Stopping == true ? (ServerStopping, "server_stopping")
                : (WebSocketCloseStatus.Empty, null);
            if (reason is null)
            {
                return false;
            }

            await _sending.WaitAsync(cancellationToken);
            try
            {
                if (socket.State == WebSocketState.Open)
                {
                    await socket.CloseOutputAsync(status, reason, cancellationToken);
                    _stop.CancelAfter(CloseWait);
                }
            }
            finally
            {
                _sending.Release();
            }

            return true;
        }

        private async Task SendAsync(ServerMessage message, CancellationToken cancellationToken)
        {
            var bytes = SocketMessages.Serialize(message);
            await _sending.WaitAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_sendTimeout);
                try
                {
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    LogDropped(logger, userId);
                    TryonMetrics.SocketDropped();
                    socket.Abort();
                    throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The client did not read in time.");
                }
            }
            finally
            {
                _sending.Release();
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the try-on socket of user {UserId}: it did not read in time")]
        private static partial void LogDropped(ILogger logger, Guid userId);
    }

}
