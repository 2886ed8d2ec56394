using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Limits;

namespace WearIt.Gateway.Mobile;

/// <summary>The app's <c>body_preprocessing</c> message.</summary>
public sealed record BodyPreprocessingMessage(string? BodyId, string Status, string? Error, string? ErrorCode)
{
    public string Type => "body_preprocessing";
}

/// <summary>
/// <c>WS /mobile/v1/body/ws?token=</c>: on connect the newest photo's state, then each change of a photo's state. ApiService
/// has no push for body checks, so this socket reads the user's photos: every second while one is being checked, at once
/// when the app uploads one through this gateway instance, every half minute otherwise (a photo uploaded elsewhere),
/// and closes with 4401 when the session ends (found at its next read).
/// </summary>
public static partial class MobileBodySocket
{
    public static async Task AcceptAsync(
        HttpContext http, WearItServices services, ConcurrentSlots<string> slots, BodyUploadSignals uploads, IOptions<MobileOptions> options,
        ILoggerFactory loggers)
    {
        using var app = await MobileSockets.AcceptAsync(http);
        if (app is null)
        {
            return;
        }

        var (socket, token, clientClosed) = (app.Socket, app.Token, app.Closed);
        var cancellationToken = http.RequestAborted;
        string? userId;
        try
        {
            userId = token is null ? null : (await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/users/me", bearer: token, cancellationToken: cancellationToken)).Text("id");
        }
        catch (MobileProblem problem) when (problem.Status != StatusCodes.Status401Unauthorized)
        {
            LogReadFailed(loggers.CreateLogger(typeof(MobileBodySocket)), problem.Status, problem.Code);
            await app.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "WearIt is unavailable; reconnect shortly.");
            return;
        }
        catch (MobileProblem)
        {
            userId = null;
        }

        if (userId is null)
        {
            await app.CloseAsync(MobileSockets.Unauthorized, "unauthorized");
            return;
        }

        using var slot = slots.TryTake(userId, options.Value.MaxBodySocketsPerUser);
        if (slot is null)
        {
            await app.CloseAsync(MobileSockets.TooManySockets, "too_many_sockets");
            return;
        }

        using var uploaded = uploads.Listen(userId);
        var logger = loggers.CreateLogger(typeof(MobileBodySocket));
        var sent = new Dictionary<string, string>();
        var first = true;
        while (!clientClosed.IsCompleted)
        {
            uploaded.Rearm();
            JsonElement bodies;
            try
            {
                bodies = await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/bodies", bearer: token, cancellationToken: cancellationToken);
            }
            catch (MobileProblem problem) when (problem.Status == StatusCodes.Status401Unauthorized)
            {
                await app.CloseAsync(MobileSockets.Unauthorized, "unauthorized");
                return;
            }
            catch (MobileProblem problem)
            {
                // A moment without ApiService: the socket stays and reads again at the idle pace.
                LogReadFailed(logger, problem.Status, problem.Code);
                bodies = default;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (bodies.ValueKind == JsonValueKind.Array && !await SendChangesAsync(socket, bodies, sent, first, cancellationToken))
            {
                return;
            }

            first = false;
            var processing = bodies.Items().Any(body => MobileBodyEndpoints.Status(body) == "pending");
            var wait = processing ? options.Value.BodyPollWhileProcessing : options.Value.BodyPollIdle;
            await Task.WhenAny(clientClosed, uploaded.Next, Task.Delay(wait, cancellationToken));
        }

        // The slot is free before the close is answered, so an app that closed one socket may open the next at once.
        slot.Dispose();
        await app.CloseAsync(WebSocketCloseStatus.NormalClosure, "");
    }

    /// <summary>
    /// First the newest photo's state (older ones are only remembered), then every photo whose state is new or changed;
    /// false when the app is gone.
    /// </summary>
    private static async Task<bool> SendChangesAsync(WebSocket socket, JsonElement bodies, Dictionary<string, string> sent, bool first, CancellationToken cancellationToken)
    {
        var newest = MobileBodyEndpoints.Newest(bodies);
        foreach (var body in bodies.Items().Reverse())
        {
            var id = body.Text("id") ?? "";
            var status = MobileBodyEndpoints.Status(body);
            var announce = first ? id == newest?.Text("id") : !sent.TryGetValue(id, out var before) || before != status;
            sent[id] = status;
            if (!announce)
            {
                continue;
            }

            var rejection = body.Child("rejection");
            try
            {
                await MobileSockets.SendAsync(socket, new BodyPreprocessingMessage(id, status, rejection.Text("message"), rejection.Text("code")), cancellationToken);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A body socket could not read the user's photos ({Status} {Code}); it reads again shortly")]
    private static partial void LogReadFailed(ILogger logger, int status, string code);
}
