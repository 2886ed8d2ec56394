using WearIt.ApiService.Features.Auth;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="IRefreshTokenRepository"/> must do.</summary>
public abstract class RefreshTokenRepositoryContract : RepositoryContract<IRefreshTokenRepository>
{
    protected override IRefreshTokenRepository Create(ITestDatabase database) =>
        database.Create<IRefreshTokenRepository>(mongo => new MongoRefreshTokenRepository(mongo), lite => new LiteDbRefreshTokenRepository(lite));

    [Fact]
    public async Task ATokenIsRotatedExactlyOnce()
    {
        var token = NewToken(Guid.NewGuid(), Guid.NewGuid());
        await Repository.InsertAsync(token, Cancellation);

        var racers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Repository.TryMarkRotatedAsync(token.Id, Now(), Cancellation)));

        Assert.Single(racers, won => won);
        Assert.NotNull((await Repository.FindAsync(token.Id, Cancellation))!.RotatedAt);
    }

    [Fact]
    public async Task RevokingAFamilyLeavesOtherFamiliesAlone()
    {
        var user = Guid.NewGuid();
        var family = Guid.NewGuid();
        var first = NewToken(user, family);
        var second = NewToken(user, family);
        var otherSession = NewToken(user, Guid.NewGuid());
        foreach (var token in new[] { first, second, otherSession })
        {
            await Repository.InsertAsync(token, Cancellation);
        }

        await Repository.RevokeFamilyAsync(family, Now(), Cancellation);

        Assert.NotNull((await Repository.FindAsync(first.Id, Cancellation))!.RevokedAt);
        Assert.NotNull((await Repository.FindAsync(second.Id, Cancellation))!.RevokedAt);
        Assert.Null((await Repository.FindAsync(otherSession.Id, Cancellation))!.RevokedAt);
        Assert.False(await Repository.TryMarkRotatedAsync(first.Id, Now(), Cancellation));
    }

    [Fact]
    public async Task RevokingAllOfAUserCanKeepOneSession()
    {
        var user = Guid.NewGuid();
        var kept = NewToken(user, Guid.NewGuid());
        var revoked = NewToken(user, Guid.NewGuid());
        var someoneElse = NewToken(Guid.NewGuid(), Guid.NewGuid());
        foreach (var token in new[] { kept, revoked, someoneElse })
        {
            await Repository.InsertAsync(token, Cancellation);
        }

        await Repository.RevokeAllForUserAsync(user, kept.FamilyId, Now(), Cancellation);

        Assert.Null((await Repository.FindAsync(kept.Id, Cancellation))!.RevokedAt);
        Assert.NotNull((await Repository.FindAsync(revoked.Id, Cancellation))!.RevokedAt);
        Assert.Null((await Repository.FindAsync(someoneElse.Id, Cancellation))!.RevokedAt);
    }

    [Fact]
    public async Task DeletingAUsersTokensRemovesOnlyTheirs()
    {
        var user = Guid.NewGuid();
        var mine = NewToken(user, Guid.NewGuid());
        var theirs = NewToken(Guid.NewGuid(), Guid.NewGuid());
        await Repository.InsertAsync(mine, Cancellation);
        await Repository.InsertAsync(theirs, Cancellation);

        await Repository.DeleteAllForUserAsync(user, Cancellation);

        Assert.Null(await Repository.FindAsync(mine.Id, Cancellation));
        Assert.NotNull(await Repository.FindAsync(theirs.Id, Cancellation));
    }

    private static RefreshToken NewToken(Guid user, Guid family) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        UserId = user,
        FamilyId = family,
        CreatedAt = Now(),
        ExpiresAt = Now().AddDays(30),
    };
}

public sealed class LiteDbRefreshTokenRepositoryTests : RefreshTokenRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoRefreshTokenRepositoryTests : RefreshTokenRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
