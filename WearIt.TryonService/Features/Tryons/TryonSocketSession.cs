using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.Limits;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>What every try-on socket of this instance shares: the event log and its feed, the sessions' revocations, storage and settings.</summary>
internal sealed class TryonSocketSessions(
    TryonEventFeed feed, ITryonEventLog events, ITryonJobRepository jobs, SessionRevocations revocations, IObjectStore objects, IOptions<TryonOptions> options,
    IServiceScopeFactory scopes, ILogger<TryonSocketSessions> logger)
{
    public TryonEventFeed Feed => feed;

    public ITryonEventLog Events => events;

    public ITryonJobRepository Jobs => jobs;

    public SessionRevocations Revocations => revocations;

    public IObjectStore Objects => objects;

    public IOptions<TryonOptions> Options => options;

    /// <summary>A scope per client message: a socket outlives any one use of the scoped <see cref="TryonsService"/>.</summary>
    public IServiceScopeFactory Scopes => scopes;

    public ILogger Logger => logger;
}

/// <summary>One open try-on socket: reads the client's messages and pumps the user's events to it.</summary>
internal sealed partial class TryonSocketSession(
    WebSocket socket, UserSession session, ConcurrentSlots<Guid>.Slot slot, TryonSocketSessions shared, long? resumeAfter)
{
    private readonly Guid userId = session.UserId;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private long _cursor = -1;
    private TryonEventFeed.Subscription? _feed;
    private readonly byte[] _readBuffer = new byte[TryonSocket.FirstReadBytes];
    private CancellationTokenSource _stop = null!;

    public async Task RunAsync(CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _stop = stop;
        // Subscribed before the first read, so no event between that read and the first wait goes unnoticed.
        using var feed = shared.Feed.Subscribe(session);
        _feed = feed;
        Interlocked.CompareExchange(ref _cursor, resumeAfter ?? await shared.Events.LatestSeqAsync(userId, stop.Token), -1);
        var pump = PumpAsync(feed, stop.Token);
        try
        {
            await ReceiveAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The server closed and the client did not answer within TryonSocket.CloseWait: the socket is aborted.
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
                // The client is done with this socket: its slot is free before it hears the answer.
                slot.Dispose();
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);
                }

                return;
            }

            if (length < 0)
            {
                await SendAsync(new ErrorMessage(null, "message_too_large", $"Messages are limited to {TryonSocket.MaxMessageBytes} bytes."), cancellationToken);
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
    /// Reads one whole message into a buffer that starts small and doubles up to <see cref="TryonSocket.MaxMessageBytes"/>; a
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
                if (buffer.Length >= TryonSocket.MaxMessageBytes)
                {
                    tooLarge = true;
                }
                else
                {
                    Array.Resize(ref buffer, Math.Min(TryonSocket.MaxMessageBytes, buffer.Length * 2));
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
                    await using (var scope = shared.Scopes.CreateAsyncScope())
                    {
                        var accepted = await scope.ServiceProvider.GetRequiredService<TryonsService>()
                            .CreateAsync(userId, message.Request, message.IdempotencyKey, cancellationToken);
                        await SendAsync(new StartedMessage(message.RequestId, accepted.Id, accepted.Version), cancellationToken);
                    }

                    break;
                case "cancel" when message.TryonId is { } id:
                    await using (var scope = shared.Scopes.CreateAsyncScope())
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
        try
        {
            await SendEventsAsync(feed, cancellationToken);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or WebSocketException))
        {
            // The socket cannot hear its events any more (the log or the store failing): it is closed, not left open
            // and silent, so the client reconnects and resumes from its last seq.
            LogPumpFailed(shared.Logger, userId, ex);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.InternalServerError, "internal_error", CancellationToken.None);
                _stop.CancelAfter(TryonSocket.CloseWait);
            }
            catch (WebSocketException)
            {
                socket.Abort();
            }
        }
    }

    private async Task SendEventsAsync(TryonEventFeed.Subscription feed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await CloseIfOverAsync(cancellationToken))
            {
                return;
            }

            var cursor = Interlocked.Read(ref _cursor);
            var batch = await shared.Events.ListAfterAsync(userId, cursor, 50, cancellationToken);
            foreach (var tryonEvent in batch)
            {
                if (Interlocked.Read(ref _cursor) != cursor)
                {
                    break; // a resume moved the cursor; start again from there
                }

                await SendAsync(await ToMessageAsync(tryonEvent, cancellationToken), cancellationToken);
                Interlocked.CompareExchange(ref _cursor, tryonEvent.Seq, cursor);
                cursor = tryonEvent.Seq;
            }

            if (batch.Count == 0)
            {
                await feed.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task<EventMessage> ToMessageAsync(TryonEvent e, CancellationToken cancellationToken)
    {
        Uri? previewUrl = e.PreviewKey is null ? null : await shared.Objects.GetSignedGetUrlAsync(e.PreviewKey, shared.Options.Value.UrlLifetime, cancellationToken);
        Uri? resultUrl = null;
        int? width = null, height = null;
        if (e.Type == "tryon.succeeded" && await shared.Jobs.FindAsync(userId, e.JobId, cancellationToken) is { ResultKey: { } key } job)
        {
            resultUrl = await shared.Objects.GetSignedGetUrlAsync(key, shared.Options.Value.UrlLifetime, cancellationToken);
            (width, height) = (job.ResultWidth, job.ResultHeight);
        }

        return new EventMessage(e.Type, e.Seq, e.JobId, e.Stage, e.Percent, previewUrl, resultUrl, width, height, e.ErrorCode, e.ErrorMessage, e.CreatedAt);
    }

    /// <summary>
    /// Closes the socket once it is over: with 4401 <c>session_ended</c> once its session has ended (logout, password
    /// change, account deletion elsewhere: it may start nothing more and hear nothing more), with 1001
    /// <c>server_stopping</c> once the instance stops. A client that does not answer the close within
    /// <see cref="TryonSocket.CloseWait"/> is aborted.
    /// </summary>
    private async Task<bool> CloseIfOverAsync(CancellationToken cancellationToken)
    {
        var (status, reason) = shared.Revocations.Ended(session) ? (TryonSocket.Unauthorized, "session_ended")
            : _feed?.Stopping == true ? (TryonSocket.ServerStopping, "server_stopping")
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
                _stop.CancelAfter(TryonSocket.CloseWait);
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
            try
            {
                // A timeout of its own rather than a cancelled token: a send blocked in Kestrel's flush (the client's
                // TCP window shut) does not always notice its token, and the pump would wait on it for ever.
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken)
                    .WaitAsync(shared.Options.Value.SocketSendTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                LogDropped(shared.Logger, userId);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The try-on socket of user {UserId} could not send its events; it is closed")]
    private static partial void LogPumpFailed(ILogger logger, Guid userId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped the try-on socket of user {UserId}: it did not read in time")]
    private static partial void LogDropped(ILogger logger, Guid userId);
}
