using System.Collections.Concurrent;
using System.Threading.Channels;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Health;

namespace WearIt.TryonService.Features.Tryons;

/// <summary>
/// Tells this instance's open try-on sockets when to read the event log, so an idle socket costs no query at all: an
/// event appended here wakes its user's sockets at once; for events other instances append, one poll per instance
/// every <see cref="PollInterval"/> asks the log which users have new ones (nothing is asked while no socket is open).
/// A socket of an ended session is woken too, so it closes within a poll. A wake-up only says "read now": each socket
/// still reads its own events after its own cursor, so a wake-up too many costs one empty read and one too few cannot
/// happen (a socket subscribes before its first read).
/// </summary>
/// <remarks>
/// With MongoDB a change stream could push instead of the poll, but it needs a replica set, which a single server (and
/// embedded mode) lacks; the poll is one indexed query per instance either way.
/// </remarks>
public sealed class TryonEventFeed(ITryonEventLog events, SessionRevocations revocations, TimeProvider time)
{
    /// <summary>How often the instance asks the log about other instances' events.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How far each poll looks back before the last one: another instance's clock, and its write's commit, may lag.</summary>
    public static readonly TimeSpan Overlap = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _byUser = new();
    private readonly Lock _subscribing = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _open;
    private DateTime _polledAt = DateTime.MinValue;

    /// <summary>Set once the instance is stopping: every socket closes (1001 <c>server_stopping</c>) and its client reconnects elsewhere.</summary>
    public bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Subscribes a socket of <paramref name="session"/>'s user; dispose it when the socket closes.</summary>
    public Subscription Subscribe(UserSession session)
    {
        var subscription = new Subscription(this, session);
        lock (_subscribing)
        {
            _byUser.GetOrAdd(subscription.UserId, _ => new())[subscription] = 0;
            _open++;
        }

        return subscription;
    }

    /// <summary>The instance is stopping: wakes every socket, so each sees <see cref="IsStopping"/> and closes.</summary>
    public void Stop()
    {
        _stopping.Cancel();
        foreach (var subscription in _byUser.Values.SelectMany(subscriptions => subscriptions.Keys))
        {
            subscription.Wake();
        }

        lock (_subscribing)
        {
            if (_open == 0)
            {
                _drained.TrySetResult();
            }
        }
    }

    /// <summary>
    /// After <see cref="Stop"/>: completes when every socket has closed (so none reads the database after it is
    /// disposed), or when <paramref name="cancellationToken"/> (the host's shutdown timeout) gives up waiting.
    /// </summary>
    public Task DrainAsync(CancellationToken cancellationToken) =>
        Task.WhenAny(_drained.Task, Task.Delay(Timeout.Infinite, cancellationToken));

    /// <summary>Wakes the sockets of <paramref name="userId"/> on this instance (an event of theirs was appended here).</summary>
    public void Notify(Guid userId)
    {
        if (_byUser.TryGetValue(userId, out var subscriptions))
        {
            foreach (var subscription in subscriptions.Keys)
            {
                subscription.Wake();
            }
        }
    }

    /// <summary>One poll: wakes the sockets of users with events since the last one, and those of ended sessions.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (_byUser.IsEmpty)
        {
            _polledAt = now;
            return;
        }

        var since = (_polledAt == DateTime.MinValue ? now : _polledAt) - Overlap;
        foreach (var userId in await events.UsersWithEventsAfterAsync(since, cancellationToken))
        {
            Notify(userId);
        }

        _polledAt = now;
        // Only the few users with ended sessions are looked at, not every open socket.
        foreach (var userId in revocations.Users)
        {
            if (_byUser.TryGetValue(userId, out var subscriptions))
            {
                foreach (var (subscription, _) in subscriptions)
                {
                    if (revocations.Ended(subscription.Session))
                    {
                        subscription.Wake();
                    }
                }
            }
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_subscribing)
        {
            if (_byUser.TryGetValue(subscription.UserId, out var subscriptions) && subscriptions.TryRemove(subscription, out _))
            {
                if (subscriptions.IsEmpty)
                {
                    _byUser.TryRemove(subscription.UserId, out _);
                }

                if (--_open == 0 && IsStopping)
                {
                    _drained.TrySetResult();
                }
            }
        }
    }

    /// <summary>One socket's wake-ups: any number of them before it waits count as one.</summary>
    public sealed class Subscription(TryonEventFeed feed, UserSession session) : IDisposable
    {
        private readonly Channel<bool> _wakes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        public Guid UserId => Session.UserId;

        public UserSession Session { get; } = session;

        /// <summary>The instance is stopping: the socket closes.</summary>
        public bool Stopping => feed.IsStopping;

        public void Wake() => _wakes.Writer.TryWrite(true);

        /// <summary>Waits until woken (at once when woken since the last wait).</summary>
        public async Task WaitAsync(CancellationToken cancellationToken) => await _wakes.Reader.ReadAsync(cancellationToken);

        public void Dispose() => feed.Unsubscribe(this);
    }
}

/// <summary>
/// Runs this instance's <see cref="TryonEventFeed"/> poll, and closes its sockets when it stops: as soon as the host
/// starts stopping (before the server waits for its requests, which an open socket would hold up to the shutdown
/// timeout), and before the services (the database among them) are disposed, it waits until they have closed.
/// </summary>
public sealed class TryonEventFeedLoop(TryonEventFeed feed, BackgroundLoops loops, IHostApplicationLifetime lifetime) : BackgroundService
{
    private CancellationTokenRegistration _stopping;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(feed.Stop);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunPeriodicAsync("tryon-event-feed", feed.PollAsync, TryonEventFeed.PollInterval, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        feed.Stop();
        await feed.DrainAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }
}
