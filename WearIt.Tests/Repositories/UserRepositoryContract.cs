using WearIt.ApiService.Features.Users;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="IUserRepository"/> must do.</summary>
public abstract class UserRepositoryContract : RepositoryContract<IUserRepository>
{
    protected override IUserRepository Create(ITestDatabase database) =>
        database.Create<IUserRepository>(mongo => new MongoUserRepository(mongo), lite => new LiteDbUserRepository(lite));

    [Fact]
    public async Task AUserRoundTripsWithEveryField()
    {
        var user = NewUser();
        user.StylePreferences = new() { ["fit"] = "relaxed" };
        user.EmailVerifiedAt = Now().AddMinutes(-5);
        user.EmailVerification = new EmailVerificationCode { CodeHash = "code", LinkTokenHash = "link", ExpiresAt = Now().AddHours(24), FailedAttempts = 1 };
        user.RewardedReferrals = [Guid.NewGuid(), Guid.NewGuid()];
        user.PasswordReset = new PasswordResetCode { CodeHash = "hash", ExpiresAt = Now().AddMinutes(15), FailedAttempts = 2 };

        Assert.True(await Repository.TryInsertAsync(user, Cancellation));
        var byId = await Repository.FindByIdAsync(user.Id, Cancellation);
        var byEmail = await Repository.FindByEmailAsync(user.Email, Cancellation);
        var byCode = await Repository.FindByReferralCodeAsync(user.ReferralCode, Cancellation);

        Assert.NotNull(byId);
        Assert.Equal(user.Id, byEmail?.Id);
        Assert.Equal(user.Id, byCode?.Id);
        Assert.Equal("relaxed", byId.StylePreferences["fit"]);
        Assert.Equal(user.EmailVerifiedAt, byId.EmailVerifiedAt);
        Assert.Equal(DateTimeKind.Utc, byId.EmailVerifiedAt!.Value.Kind);
        Assert.Equal(("code", "link", user.EmailVerification.ExpiresAt, 1),
            (byId.EmailVerification!.CodeHash, byId.EmailVerification.LinkTokenHash, byId.EmailVerification.ExpiresAt, byId.EmailVerification.FailedAttempts));
        Assert.Equal(user.RewardedReferrals, byId.RewardedReferrals);
        Assert.Equal(user.CreatedAt, byId.CreatedAt);
        Assert.Equal(2, byId.PasswordReset!.FailedAttempts);
        Assert.Equal(user.PasswordReset.ExpiresAt, byId.PasswordReset.ExpiresAt);
    }

    [Fact]
    public async Task EmailsAndReferralCodesAreUnique()
    {
        var first = NewUser();
        await Repository.TryInsertAsync(first, Cancellation);
        var sameEmail = NewUser();
        sameEmail.Email = first.Email;
        var sameCode = NewUser();
        sameCode.ReferralCode = first.ReferralCode;

        Assert.False(await Repository.TryInsertAsync(sameEmail, Cancellation));
        Assert.False(await Repository.TryInsertAsync(sameCode, Cancellation));
        Assert.Null(await Repository.FindByIdAsync(sameEmail.Id, Cancellation));
    }

    [Fact]
    public async Task ReplacingChecksTheVersionRead()
    {
        var user = NewUser();
        await Repository.TryInsertAsync(user, Cancellation);
        var first = (await Repository.FindByIdAsync(user.Id, Cancellation))!;
        var second = (await Repository.FindByIdAsync(user.Id, Cancellation))!;

        first.Name = "First writer";
        second.Name = "Second writer";
        var firstWon = await Repository.TryReplaceAsync(first, Cancellation);
        var secondWon = await Repository.TryReplaceAsync(second, Cancellation);

        Assert.True(firstWon);
        Assert.False(secondWon);
        var stored = (await Repository.FindByIdAsync(user.Id, Cancellation))!;
        Assert.Equal(("First writer", 1), (stored.Name, stored.Version));
    }

    [Fact]
    public async Task DeleteRemovesTheUser()
    {
        var user = NewUser();
        await Repository.TryInsertAsync(user, Cancellation);
        var before = await Repository.FindByIdAsync(user.Id, Cancellation);

        await Repository.DeleteAsync(user.Id, Cancellation);

        Assert.NotNull(before);
        Assert.Null(await Repository.FindByIdAsync(user.Id, Cancellation));
        Assert.Null(await Repository.FindByEmailAsync(user.Email, Cancellation));
    }

    [Fact]
    public async Task AFoundUserIsTheCallersOwnCopy()
    {
        var user = NewUser();
        user.StylePreferences = new() { ["fit"] = "relaxed" };
        await Repository.TryInsertAsync(user, Cancellation);
        var found = (await Repository.FindByIdAsync(user.Id, Cancellation))!;

        found.Name = "Changed, not saved";
        found.StylePreferences["fit"] = "slim";
        found.RewardedReferrals.Add(Guid.NewGuid());
        var again = (await Repository.FindByIdAsync(user.Id, Cancellation))!;

        Assert.Equal(("Someone", "relaxed", 0), (again.Name, again.StylePreferences["fit"], again.RewardedReferrals.Count));
    }

    private static User NewUser() => new()
    {
        Id = Guid.CreateVersion7(),
        Email = $"u-{Guid.NewGuid():N}@example.com",
        Name = "Someone",
        PasswordHash = "hash",
        ReferralCode = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
        CreatedAt = Now(),
    };
}

public sealed class LiteDbUserRepositoryTests : UserRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoUserRepositoryTests : UserRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
