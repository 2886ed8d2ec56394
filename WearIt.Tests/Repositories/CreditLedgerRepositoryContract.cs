using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ApiService.Features.Credits;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="ICreditLedgerRepository"/> must do.</summary>
public abstract class CreditLedgerRepositoryContract : RepositoryContract<ICreditLedgerRepository>
{
    protected override ICreditLedgerRepository Create(ITestDatabase database) =>
        database.Create<ICreditLedgerRepository>(mongo => new MongoCreditLedgerRepository(mongo), lite => new LiteDbCreditLedgerRepository(lite));

    [Fact]
    public async Task TheLatestEntryIsTheHighestSequence()
    {
        var user = Guid.NewGuid();
        await Repository.TryAppendAsync(Entry(user, 1, 20, "signup"), Cancellation);
        await Repository.TryAppendAsync(Entry(user, 2, 19, "spend:a"), Cancellation);
        await Repository.TryAppendAsync(Entry(Guid.NewGuid(), 3, 99, "signup"), Cancellation);

        var latest = await Repository.GetLatestAsync(user, Cancellation);
        var recent = await Repository.ListRecentAsync(user, 10, Cancellation);

        Assert.Equal((2L, 19), (latest!.Sequence, latest.BalanceAfter));
        Assert.Equal([2L, 1L], recent.Select(entry => entry.Sequence));
        Assert.Null(await Repository.GetLatestAsync(Guid.NewGuid(), Cancellation));
    }

    [Fact]
    public async Task ASequenceNumberCanBeTakenOnce()
    {
        var user = Guid.NewGuid();
        await Repository.TryAppendAsync(Entry(user, 1, 20, "signup"), Cancellation);

        var outcome = await Repository.TryAppendAsync(Entry(user, 1, 19, "spend:b"), Cancellation);

        Assert.Equal(AppendOutcome.SequenceTaken, outcome);
        Assert.Null(await Repository.FindByKeyAsync(user, "spend:b", Cancellation));
    }

    [Fact]
    public async Task AnIdempotencyKeyCanBeUsedOnce()
    {
        var user = Guid.NewGuid();
        await Repository.TryAppendAsync(Entry(user, 1, 19, "spend:c"), Cancellation);

        var outcome = await Repository.TryAppendAsync(Entry(user, 2, 18, "spend:c"), Cancellation);

        Assert.Equal(AppendOutcome.KeyExists, outcome);
        Assert.Equal(1, (await Repository.GetLatestAsync(user, Cancellation))!.Sequence);
        Assert.Equal(19, (await Repository.FindByKeyAsync(user, "spend:c", Cancellation))!.BalanceAfter);
    }

    [Fact]
    public async Task TheSameKeyBelongsToEachUserSeparately()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        var outcomes = new[]
        {
            await Repository.TryAppendAsync(Entry(first, 1, 20, "signup"), Cancellation),
            await Repository.TryAppendAsync(Entry(second, 1, 20, "signup"), Cancellation),
        };

        Assert.All(outcomes, outcome => Assert.Equal(AppendOutcome.Appended, outcome));
    }

    [Fact]
    public async Task DeletingAUsersLedgerLeavesOthers()
    {
        var user = Guid.NewGuid();
        var other = Guid.NewGuid();
        await Repository.TryAppendAsync(Entry(user, 1, 20, "signup"), Cancellation);
        await Repository.TryAppendAsync(Entry(other, 1, 20, "signup"), Cancellation);

        await Repository.DeleteAllAsync(user, Cancellation);

        Assert.Null(await Repository.GetLatestAsync(user, Cancellation));
        Assert.NotNull(await Repository.GetLatestAsync(other, Cancellation));
    }

    private static CreditEntry Entry(Guid user, long sequence, int balance, string key) => new()
    {
        Id = CreditEntry.IdFor(user, sequence),
        UserId = user,
        Sequence = sequence,
        Amount = -1,
        BalanceAfter = balance,
        Reason = "test",
        IdempotencyKey = CreditEntry.KeyFor(user, key),
        CreatedAt = Now(),
    };
}

public sealed class LiteDbCreditLedgerRepositoryTests : CreditLedgerRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoCreditLedgerRepositoryTests : CreditLedgerRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}

/// <summary>What every <see cref="IPendingDeletionRepository"/> must do.</summary>
public abstract class PendingDeletionRepositoryContract : RepositoryContract<IPendingDeletionRepository>
{
    protected override IPendingDeletionRepository Create(ITestDatabase database) =>
        database.Create<IPendingDeletionRepository>(mongo => new MongoPendingDeletionRepository(mongo), lite => new LiteDbPendingDeletionRepository(lite));

    [Fact]
    public async Task OnlyDueDeletionsAreListedOldestFirst()
    {
        var now = Now();
        var late = new PendingUserDeletion { Id = Guid.NewGuid(), NextAttemptAt = now.AddMinutes(-1) };
        var early = new PendingUserDeletion { Id = Guid.NewGuid(), NextAttemptAt = now.AddMinutes(-5) };
        var future = new PendingUserDeletion { Id = Guid.NewGuid(), NextAttemptAt = now.AddMinutes(5) };
        foreach (var pending in new[] { late, early, future })
        {
            await Repository.UpsertAsync(pending, Cancellation);
        }

        var due = await Repository.ListDueAsync(now, 10, Cancellation);

        Assert.Equal([early.Id, late.Id], due.Select(pending => pending.Id));
    }

    [Fact]
    public async Task UpsertReplacesAndDeleteRemoves()
    {
        var pending = new PendingUserDeletion { Id = Guid.NewGuid(), NextAttemptAt = Now() };
        await Repository.UpsertAsync(pending, Cancellation);
        pending.Attempts = 3;
        pending.LastError = "down";
        await Repository.UpsertAsync(pending, Cancellation);

        var stored = await Repository.FindAsync(pending.Id, Cancellation);
        await Repository.DeleteAsync(pending.Id, Cancellation);

        Assert.Equal((3, "down"), (stored!.Attempts, stored.LastError));
        Assert.Null(await Repository.FindAsync(pending.Id, Cancellation));
    }
}

public sealed class LiteDbPendingDeletionRepositoryTests : PendingDeletionRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoPendingDeletionRepositoryTests : PendingDeletionRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
