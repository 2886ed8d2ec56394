using WearIt.ApiService.Features.Auth;
using WearIt.ServiceDefaults.Authentication;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="ISessionRevocationRepository"/> must do.</summary>
public abstract class SessionRevocationRepositoryContract : RepositoryContract<ISessionRevocationRepository>
{
    protected override ISessionRevocationRepository Create(ITestDatabase database) =>
        database.Create<ISessionRevocationRepository>(mongo => new MongoSessionRevocationRepository(mongo), lite => new LiteDbSessionRevocationRepository(lite, TimeProvider.System));

    [Fact]
    public async Task RevocationsAreListedFromAMomentOnOldestFirst()
    {
        var now = Now();
        var user = Guid.NewGuid();
        var family = Guid.NewGuid();
        var old = new SessionRevocation { Id = Guid.NewGuid(), UserId = user, FamilyId = family, At = now.AddMinutes(-3) };
        var recent = new SessionRevocation { Id = Guid.NewGuid(), UserId = user, ExceptFamilyId = family, At = now.AddMinutes(-1) };
        await Repository.AddAsync(recent, Cancellation);
        await Repository.AddAsync(old, Cancellation);

        var all = await Repository.ListSinceAsync(now.AddMinutes(-5), Cancellation);
        var later = await Repository.ListSinceAsync(now.AddMinutes(-2), Cancellation);

        Assert.Equal([old.Id, recent.Id], all.Select(revocation => revocation.Id));
        var listed = Assert.Single(later);
        Assert.Equal((recent.UserId, (Guid?)null, (Guid?)family, recent.At), (listed.UserId, listed.FamilyId, listed.ExceptFamilyId, listed.At));
    }
}

public sealed class LiteDbSessionRevocationRepositoryTests : SessionRevocationRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoSessionRevocationRepositoryTests : SessionRevocationRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
