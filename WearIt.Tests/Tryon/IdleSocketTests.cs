using System.Net.WebSockets;
using System.Text.Json;
using LiteDB;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WearIt.ServiceDefaults.Databases;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>
/// Open try-on sockets through TryonService itself (issue 13): idle ones read nothing however many polls go by, and an
/// event another instance appends reaches exactly its user's socket at the next poll. The feed's clock is a fake one.
/// </summary>
public sealed class IdleSocketTests : IAsyncLifetime
{
    private const int Sockets = 20;
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon");
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private CountingEventLog _log = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton<ITryonEventLog>(provider => _log = new CountingEventLog(new LiteDbTryonEventLog(provider.GetRequiredService<ILiteDatabase>())));
        });
        _ = _factory.Server;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    [Fact]
    public async Task IdleSocketsReadNothingAndAnotherInstancesEventReachesOnlyItsUsersSocket()
    {
        var users = Enumerable.Range(0, Sockets).Select(_ => Guid.NewGuid()).ToList();
        var sockets = new List<WebSocket>();
        foreach (var user in users)
        {
            var client = _factory.Server.CreateWebSocketClient();
            sockets.Add(await client.ConnectAsync(new Uri(_factory.Server.BaseAddress, $"api/v1/tryons/ws?access_token={TestTokens.User(user)}"), Cancellation));
        }

        // Each socket reads once as it opens.
        await _log.ReadsReach(Sockets).WaitAsync(Wait, Cancellation);
        for (var poll = 0; poll < 4; poll++)
        {
            var polled = _log.NextPoll();
            _clock.Advance(TryonEventFeed.PollInterval);
            await polled.WaitAsync(Wait, Cancellation);
        }

        var readsWhileIdle = _log.Reads;
        var appended = await _log.Inner.AppendAsync(
            new TryonEvent { UserId = users[3], JobId = Guid.NewGuid(), Type = "tryon.queued", CreatedAt = _clock.GetUtcNow().UtcDateTime }, Cancellation);
        var next = _log.NextPoll();
        _clock.Advance(TryonEventFeed.PollInterval);
        await next.WaitAsync(Wait, Cancellation);
        var message = await ReceiveAsync(sockets[3]);

        Assert.Equal(Sockets, readsWhileIdle);
        Assert.Equal(("tryon.queued", appended.Seq), (message.GetProperty("type").GetString(), message.GetProperty("seq").GetInt64()));
        // That socket read once for its event (and once more when its wait ended again), no other socket read at all.
        Assert.InRange(_log.Reads, Sockets + 1, Sockets + 2);
        foreach (var socket in sockets)
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    // How long a step that happens on the thread pool may take (each completes as soon as it does).
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), Cancellation).WaitAsync(Wait, Cancellation);
        return System.Text.Json.JsonSerializer.Deserialize<JsonElement>(buffer.AsSpan(0, result.Count));
    }

    /// <summary>The real log, with the feed's polls and the sockets' reads counted.</summary>
    private sealed class CountingEventLog(LiteDbTryonEventLog inner) : ITryonEventLog, IRequiresIndexes
    {
        private readonly Lock _gate = new();
        private readonly List<(int Reads, TaskCompletionSource Done)> _readWaits = [];
        private TaskCompletionSource _nextPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public LiteDbTryonEventLog Inner => inner;

        public int Reads => Volatile.Read(ref _reads);

        /// <summary>Completes when the sockets have read <paramref name="count"/> times in all.</summary>
        public Task ReadsReach(int count)
        {
            lock (_gate)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_reads >= count)
                {
                    done.SetResult();
                }
                else
                {
                    _readWaits.Add((count, done));
                }

                return done.Task;
            }
        }

        /// <summary>Completes when the feed's next poll has been answered.</summary>
        public Task NextPoll()
        {
            lock (_gate)
            {
                return _nextPoll.Task;
            }
        }

        public Task EnsureIndexesAsync(CancellationToken cancellationToken) => inner.EnsureIndexesAsync(cancellationToken);

        public Task<TryonEvent> AppendAsync(TryonEvent tryonEvent, CancellationToken cancellationToken) => inner.AppendAsync(tryonEvent, cancellationToken);

        public Task<long> LatestSeqAsync(Guid userId, CancellationToken cancellationToken) => inner.LatestSeqAsync(userId, cancellationToken);

        public async Task<IReadOnlyList<TryonEvent>> ListAfterAsync(Guid userId, long afterSeq, int limit, CancellationToken cancellationToken)
        {
            var events = await inner.ListAfterAsync(userId, afterSeq, limit, cancellationToken);
            lock (_gate)
            {
                _reads++;
                foreach (var wait in _readWaits.Where(wait => _reads >= wait.Reads).ToList())
                {
                    wait.Done.SetResult();
                    _readWaits.Remove(wait);
                }
            }

            return events;
        }

        public async Task<IReadOnlyList<Guid>> UsersWithEventsAfterAsync(DateTime since, CancellationToken cancellationToken)
        {
            var users = await inner.UsersWithEventsAfterAsync(since, cancellationToken);
            lock (_gate)
            {
                var answered = _nextPoll;
                _nextPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
                answered.SetResult();
            }

            return users;
        }

        public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) => inner.DeleteAllForUserAsync(userId, cancellationToken);
    }
}
