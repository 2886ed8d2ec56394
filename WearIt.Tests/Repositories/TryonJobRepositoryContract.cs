using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Repositories;

/// <summary>What every <see cref="ITryonJobRepository"/> must do about payments, claims and refunds.</summary>
public abstract class TryonJobRepositoryContract : RepositoryContract<ITryonJobRepository>
{
    protected override ITryonJobRepository Create(ITestDatabase database) =>
        database.Create<ITryonJobRepository>(mongo => new MongoTryonJobRepository(mongo), lite => new LiteDbTryonJobRepository(lite));

    [Fact]
    public async Task AJobWaitingForItsPaymentIsNeverClaimedAndIsListedForTheSweepOnceOldEnough()
    {
        var now = Now();
        var pending = Job(TryonStatus.PendingPayment, now.AddMinutes(-5));
        var fresh = Job(TryonStatus.PendingPayment, now);
        var queued = Job(TryonStatus.Queued, now.AddMinutes(-4));
        foreach (var job in new[] { pending, fresh, queued })
        {
            Assert.True(await Repository.TryInsertAsync(job, Cancellation));
        }

        var claimed = await Repository.TryClaimAsync("worker", now, now.AddMinutes(2), Cancellation);
        var again = await Repository.TryClaimAsync("worker", now, now.AddMinutes(2), Cancellation);
        var listed = await Repository.ListPendingPaymentAsync(now.AddMinutes(-1), 10, Cancellation);

        Assert.Equal(queued.Id, claimed?.Id);
        Assert.Null(again);
        Assert.Equal([pending.Id], listed.Select(job => job.Id));
    }

    [Fact]
    public async Task APaidJobIsQueuedOnlyFromPendingPayment()
    {
        var job = Job(TryonStatus.PendingPayment, Now());
        await Repository.TryInsertAsync(job, Cancellation);

        job.Status = TryonStatus.Queued;
        var first = await Repository.TryReplaceAsync(job, TryonStatus.PendingPayment, null, Cancellation);
        var second = await Repository.TryReplaceAsync(job, TryonStatus.PendingPayment, null, Cancellation);

        Assert.Equal((true, false), (first, second));
        Assert.Equal(TryonStatus.Queued, (await Repository.FindAsync(job.UserId, job.Id, Cancellation))!.Status);
    }

    [Fact]
    public async Task AWriterThatHasNotSeenACancelOrDeleteRequestCannotOverwriteIt()
    {
        var now = Now();
        var job = Job(TryonStatus.Queued, now);
        await Repository.TryInsertAsync(job, Cancellation);
        var running = (await Repository.TryClaimAsync("worker", now, now.AddMinutes(2), Cancellation))!;

        Assert.True(await Repository.RequestCancelAsync(job.UserId, job.Id, delete: false, Cancellation));
        running.Stage = "fitting";
        var blind = await Repository.TryReplaceAsync(running, TryonStatus.Running, "worker", Cancellation);
        running.CancelRequested = true;
        var seenCancel = await Repository.TryReplaceAsync(running, TryonStatus.Running, "worker", Cancellation);
        Assert.True(await Repository.RequestCancelAsync(job.UserId, job.Id, delete: true, Cancellation));
        var blindToDelete = await Repository.TryReplaceAsync(running, TryonStatus.Running, "worker", Cancellation);
        running.DeleteRequested = true;
        var seenDelete = await Repository.TryReplaceAsync(running, TryonStatus.Running, "worker", Cancellation);
        var otherUser = await Repository.RequestCancelAsync(Guid.NewGuid(), job.Id, delete: true, Cancellation);

        Assert.Equal((false, true, false, true, false), (blind, seenCancel, blindToDelete, seenDelete, otherUser));
        var stored = (await Repository.FindAsync(job.UserId, job.Id, Cancellation))!;
        Assert.Equal((true, true, "fitting"), (stored.CancelRequested, stored.DeleteRequested, stored.Stage));
    }

    [Fact]
    public async Task UnconfirmedRefundsAreListedOldestFirstPageByPage()
    {
        var now = Now();
        var jobs = Enumerable.Range(0, 5).Select(i => Job(TryonStatus.Failed, now.AddMinutes(-10 + i))).ToList();
        jobs.ForEach(job => job.RefundPending = true);
        foreach (var job in jobs)
        {
            await Repository.TryInsertAsync(job, Cancellation);
        }

        var first = await Repository.ListRefundPendingAsync(0, 2, Cancellation);
        var second = await Repository.ListRefundPendingAsync(2, 2, Cancellation);
        await Repository.MarkRefundedAsync(jobs[0].Id, Cancellation);
        var afterOne = await Repository.ListRefundPendingAsync(0, 10, Cancellation);

        Assert.Equal(jobs.Take(2).Select(job => job.Id), first.Select(job => job.Id));
        Assert.Equal(jobs.Skip(2).Take(2).Select(job => job.Id), second.Select(job => job.Id));
        Assert.Equal(jobs.Skip(1).Select(job => job.Id), afterOne.Select(job => job.Id));
    }

    private static TryonJob Job(string status, DateTime createdAt) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = Guid.NewGuid(),
        BodyId = Guid.NewGuid(),
        Status = status,
        OutfitKey = Guid.NewGuid().ToString("N"),
        Version = 1,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };
}

public sealed class LiteDbTryonJobRepositoryTests : TryonJobRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => new LiteTestDatabase();
}

public sealed class MongoTryonJobRepositoryTests : TryonJobRepositoryContract
{
    protected override ITestDatabase OpenDatabase() => MongoTestDatabase.OpenOrSkip();
}
