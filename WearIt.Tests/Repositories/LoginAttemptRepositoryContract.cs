using WearIt.ApiService.Features.Auth;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="ILoginAttemptRepository"/> must do.</summary>
public abstract class LoginAttemptRepositoryContract : RepositoryContract<ILoginAttemptRepository>
{
    protected override ILoginAttemptRepository Create(ITestDatabase database) =>
        database.Create<ILoginAttemptRepository>(mongo => new MongoLoginAttemptRepository(mongo), lite => new LiteDbLoginAttemptRepository(lite));

    [Fact]
    public async Task FailuresCountUpAndAStaleRunStartsOver()
    {
        var now = Now();
        var key = Guid.NewGuid().ToString("N");

        var first = await Repository.AddFailureAsync(key, now.AddMinutes(-30), now.AddMinutes(-45), Cancellation);
        var second = await Repository.AddFailureAsync(key, now.AddMinutes(-29), now.AddMinutes(-44), Cancellation);
        var afterAPause = await Repository.AddFailureAsync(key, now, now.AddMinutes(-15), Cancellation);
        var stored = await Repository.FindAsync(key, Cancellation);

        Assert.Equal((1, 2, 1), (first.Failures, second.Failures, afterAPause.Failures));
        Assert.Equal((1, now), (stored!.Failures, stored.LastFailureAt));
        Assert.Equal(DateTimeKind.Utc, stored.LastFailureAt.Kind);
    }

    [Fact]
    public async Task ConcurrentFailuresAreAllCounted()
    {
        var now = Now();
        var key = Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Repository.AddFailureAsync(key, now, now.AddMinutes(-15), Cancellation)));

        Assert.Equal(20, (await Repository.FindAsync(key, Cancellation))!.Failures);
    }

    [Fact]
    public async Task ClearingOneKeyLeavesOthers()
    {
        var now = Now();
        var (cleared, kept) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        await Repository.AddFailureAsync(cleared, now, now.AddMinutes(-15), Cancellation);
        await Repository.AddFailureAsync(kept, now, now.AddMinutes(-15), Cancellation);

        await Repository.ClearAsync(cleared, Cancellation);

        Assert.Null(await Repository.FindAsync(cleared, Cancellation));
        Assert.Equal(1, (await Repository.FindAsync(kept, Cancellation))!.Failures);
    }
}

public sealed class LiteDbLoginAttemptRepositoryTests : LoginAttemptRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoLoginAttemptRepositoryTests : LoginAttemptRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
