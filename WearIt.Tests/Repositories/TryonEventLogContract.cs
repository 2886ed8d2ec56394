using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="ITryonEventLog"/> must do: number each user's events, list them, and say who has new ones.</summary>
public abstract class TryonEventLogContract : RepositoryContract<ITryonEventLog>
{
    protected override ITryonEventLog Create(ITestDatabase database) =>
        database.Create<ITryonEventLog>(mongo => new MongoTryonEventLog(mongo), lite => new LiteDbTryonEventLog(lite));

    [Fact]
    public async Task EachUsersEventsAreNumberedFromOneAndListedInOrder()
    {
        var user = Guid.NewGuid();
        for (var i = 0; i < 3; i++)
        {
            await Repository.AppendAsync(Event(user, Now()), Cancellation);
        }

        var listed = await Repository.ListAfterAsync(user, 1, 10, Cancellation);

        Assert.Equal([2L, 3L], listed.Select(e => e.Seq));
        Assert.Equal(3, await Repository.LatestSeqAsync(user, Cancellation));
    }

    [Fact]
    public async Task TheUsersWithEventsAfterAMomentAreNamedOnceEach()
    {
        var (early, busy, quiet) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var moment = Now();
        await Repository.AppendAsync(Event(early, moment.AddSeconds(-1)), Cancellation);
        await Repository.AppendAsync(Event(quiet, moment), Cancellation);
        await Repository.AppendAsync(Event(busy, moment.AddMilliseconds(1)), Cancellation);
        await Repository.AppendAsync(Event(busy, moment.AddMilliseconds(2)), Cancellation);

        var users = await Repository.UsersWithEventsAfterAsync(moment, Cancellation);

        Assert.Equal([busy], users);
    }

    private static TryonEvent Event(Guid user, DateTime at) => new() { UserId = user, JobId = Guid.NewGuid(), Type = "tryon.queued", CreatedAt = at };
}

public sealed class LiteDbTryonEventLogTests : TryonEventLogContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoTryonEventLogTests : TryonEventLogContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
