using System.Security.Claims;
using LiteDB;
using Microsoft.Extensions.Time.Testing;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Tryon;

/// <summary>
/// One event feed per TryonService instance (issue 13): idle sockets cost no query however many there are, a poll wakes
/// exactly the sockets of users with new events (appended by another instance), an event appended here wakes at once,
/// and a socket of an ended session is woken so it can close.
/// </summary>
public sealed class TryonEventFeedTests : IDisposable
{
    private readonly LiteDatabase _database = new(new MemoryStream(), LiteDatabaseRegistration.CreateMapper());
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly CountingEventLog _log;
    private readonly SessionRevocations _revocations;
    private readonly TryonEventFeed _feed;

    public TryonEventFeedTests()
    {
        _log = new CountingEventLog(new LiteDbTryonEventLog(_database));
        _revocations = new SessionRevocations(_clock);
        _feed = new TryonEventFeed(_log, _revocations, _clock);
    }

    // How long a woken socket's wait may take to resume on the thread pool (it completes as soon as it does).
    private static readonly TimeSpan Wake = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task WithoutSocketsAPollAsksNothing()
    {
        await _feed.PollAsync(Cancellation);

        Assert.Equal(0, _log.Polls);
    }

    [Fact]
    public async Task AThousandIdleSocketsCostOneQueryPerPollAndAreNotWoken()
    {
        var sockets = Enumerable.Range(0, 1000).Select(_ => _feed.Subscribe(Session(Guid.NewGuid()))).ToList();

        for (var poll = 0; poll < 4; poll++)
        {
            _clock.Advance(TryonEventFeed.PollInterval);
            await _feed.PollAsync(Cancellation);
        }

        Assert.Equal(4, _log.Polls);
        Assert.All(sockets, socket => Assert.False(socket.WaitAsync(Cancellation).IsCompleted));
        sockets.ForEach(socket => socket.Dispose());
    }

    [Fact]
    public async Task AnotherInstancesEventWakesOnlyItsUsersSocketsAtTheNextPoll()
    {
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        using var aliceOnPhone = _feed.Subscribe(Session(alice));
        using var aliceOnLaptop = _feed.Subscribe(Session(alice));
        using var bobs = _feed.Subscribe(Session(bob));
        await _feed.PollAsync(Cancellation);

        _clock.Advance(TryonEventFeed.PollInterval);
        // Straight into the log: this instance's feed is not told.
        await _log.AppendAsync(new TryonEvent { UserId = alice, JobId = Guid.NewGuid(), Type = "tryon.queued", CreatedAt = _clock.GetUtcNow().UtcDateTime }, Cancellation);
        var beforePoll = aliceOnPhone.WaitAsync(Cancellation);
        var wokenBeforePoll = beforePoll.IsCompleted;
        await _feed.PollAsync(Cancellation);

        Assert.False(wokenBeforePoll);
        // A waiting socket's read resumes on the thread pool, not inside the poll.
        await beforePoll.WaitAsync(Wake, Cancellation);
        Assert.True(aliceOnLaptop.WaitAsync(Cancellation).IsCompleted);
        Assert.False(bobs.WaitAsync(Cancellation).IsCompleted);
    }

    [Fact]
    public async Task AnEventAppendedHereWakesAtOnceAndWakeUpsBeforeAWaitAreKeptAsOne()
    {
        var user = Guid.NewGuid();
        using var socket = _feed.Subscribe(Session(user));
        var waiting = socket.WaitAsync(Cancellation);
        var idle = waiting.IsCompleted;

        _feed.Notify(user);
        await waiting.WaitAsync(Wake, Cancellation);
        // While the socket was busy reading, two more events were appended here.
        _feed.Notify(user);
        _feed.Notify(user);
        var next = socket.WaitAsync(Cancellation);
        var afterThat = socket.WaitAsync(Cancellation);

        Assert.False(idle);
        Assert.True(next.IsCompletedSuccessfully);
        Assert.False(afterThat.IsCompleted);
        Assert.Equal(0, _log.Polls);
    }

    [Fact]
    public async Task ASocketOfAnEndedSessionIsWokenToClose()
    {
        var (ended, going) = (Guid.NewGuid(), Guid.NewGuid());
        using var endedSocket = _feed.Subscribe(Session(ended));
        using var goingSocket = _feed.Subscribe(Session(going));

        _clock.Advance(TimeSpan.FromSeconds(1));
        _revocations.Add([new SessionRevocation { Id = Guid.NewGuid(), UserId = ended, At = _clock.GetUtcNow().UtcDateTime }]);
        await _feed.PollAsync(Cancellation);

        Assert.True(endedSocket.WaitAsync(Cancellation).IsCompleted);
        Assert.False(goingSocket.WaitAsync(Cancellation).IsCompleted);
    }

    [Fact]
    public void ADisposedSubscriptionIsWokenNoMore()
    {
        var user = Guid.NewGuid();
        var socket = _feed.Subscribe(Session(user));
        socket.Dispose();

        _feed.Notify(user);

        Assert.False(socket.WaitAsync(Cancellation).IsCompleted);
    }

    /// <summary>The session of a token of <paramref name="user"/> issued now, as a socket reads it off the token's claims.</summary>
    private UserSession Session(Guid user) => UserSession.Of(new ClaimsPrincipal(new ClaimsIdentity(
    [
        new Claim("sub", user.ToString()),
        new Claim(SessionRevocations.IssuedAtMillisecondsClaim, _clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ], "test"))) ?? throw new InvalidOperationException("Not a user session.");

    /// <summary>The real log, with the feed's polls counted.</summary>
    private sealed class CountingEventLog(ITryonEventLog inner) : ITryonEventLog
    {
        private int _polls;

        public int Polls => Volatile.Read(ref _polls);

        public Task<TryonEvent> AppendAsync(TryonEvent tryonEvent, CancellationToken cancellationToken) => inner.AppendAsync(tryonEvent, cancellationToken);

        public Task<long> LatestSeqAsync(Guid userId, CancellationToken cancellationToken) => inner.LatestSeqAsync(userId, cancellationToken);

        public Task<IReadOnlyList<TryonEvent>> ListAfterAsync(Guid userId, long afterSeq, int limit, CancellationToken cancellationToken) =>
            inner.ListAfterAsync(userId, afterSeq, limit, cancellationToken);

        public Task<IReadOnlyList<Guid>> UsersWithEventsAfterAsync(DateTime since, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _polls);
            return inner.UsersWithEventsAfterAsync(since, cancellationToken);
        }

        public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) => inner.DeleteAllForUserAsync(userId, cancellationToken);
    }
}
