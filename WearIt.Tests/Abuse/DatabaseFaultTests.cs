using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Databases;
using WearIt.ServiceDefaults.Errors;
using WearIt.Tests.Support;
using WearIt.TryonService;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Abuse;

/// <summary>
/// TryonService's database throws for a while as try-ons run: the workers do not die with it, /health says Degraded
/// meanwhile and Healthy after, every job still ends, and every job that ends without a result is refunded.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon")
    {
        Settings = new()
        {
            ["WearIt:Tryon:Concurrency"] = "2",
            ["WearIt:Tryon:PollInterval"] = "00:00:00.050",
            ["WearIt:Tryon:Lease"] = "00:00:01",
            ["WearIt:Tryon:MaxAttempts"] = "5",
            ["WearIt:Tryon:SweepInterval"] = "00:00:00.200",
        },
    };

    private readonly FakeApiService _ledger = new FakeApiService()
        .WithBody(new BodyInfo(FakeApiService.Body, "users/test/bodies/b/original.png", 512, 512))
        .WithGarment(FakeApiService.Top, "upper", "catalog/top/image/original.png");
    private FlakyJobs _jobs = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory.ServiceOverrides.Add(services =>
        {
            services.AddSingleton<IApiServiceClient>(_ledger);
            services.AddSingleton<ITryonEngine, QuickEngine>();
            services.AddSingleton<ITryonJobRepository>(provider => _jobs = new FlakyJobs(new LiteDbTryonJobRepository(provider.GetRequiredService<ILiteDatabase>())));
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task WhileTheDatabaseFailsWorkersLiveHealthIsDegradedAndEveryJobEndsPaidOrRefunded()
    {
        using var http = _factory.CreateClient();
        var user = Guid.NewGuid();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.User(user));
        var ids = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.PostAsJsonAsync("/api/v1/tryons", new { bodyId = FakeApiService.Body, items = new[] { new { source = "catalog", id = FakeApiService.Top } }, seed = i }, Cancellation);
            ids.Add((await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        }

        // Act: the database fails for a while (until the workers, backing off, have hit it 6 times).
        _jobs.Failing = true;
        await _jobs.WaitForFailuresAsync(6, Cancellation);
        var duringFault = await HealthAsync(http);
        _jobs.Failing = false;

        // Assert
        Assert.Equal("Degraded", duringFault);
        var ended = await WaitForAsync(async () =>
        {
            var jobs = await Task.WhenAll(ids.Select(id => _jobs.Inner.FindAsync(user, id, Cancellation)));
            return jobs.All(job => job is not null && TryonStatus.IsFinished(job.Status) && !job.RefundPending) ? jobs : null;
        }, async () => string.Join(", ", (await Task.WhenAll(ids.Select(id => _jobs.Inner.FindAsync(user, id, Cancellation)))).Select(job => $"{job?.Status}/{job?.RefundPending}/{job?.Attempts}")));
        Assert.All(ended, job => Assert.True(job!.Status == TryonStatus.Succeeded || _ledger.Refunded.ContainsKey(job.Id), $"{job.Id} {job.Status} without a refund"));
        Assert.All(ended.Where(job => job!.Status == TryonStatus.Succeeded), job => Assert.False(_ledger.Refunded.ContainsKey(job!.Id)));
        Assert.Equal("Healthy", await WaitForAsync(async () => await HealthAsync(http) is "Healthy" ? "Healthy" : null, () => HealthAsync(http)));
    }

    private static async Task<string> HealthAsync(HttpClient http) => await http.GetStringAsync("/health", Cancellation);

    /// <summary>Polls <paramref name="probe"/> until it answers (the state it reads is not pushed anywhere), for up to 30 s.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Func<Task<string>> state) where T : class
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100, Cancellation);
        }

        throw new Xunit.Sdk.XunitException($"The service did not settle within 30 s: {await state()}");
    }

    /// <summary>The job store with a switch that makes every call throw, as a database that went away does.</summary>
    private sealed class FlakyJobs(LiteDbTryonJobRepository inner) : ITryonJobRepository, IRequiresIndexes
    {
        private int _failures;
        private TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LiteDbTryonJobRepository Inner => inner;

        public volatile bool Failing;

        public async Task WaitForFailuresAsync(int count, CancellationToken cancellationToken)
        {
            while (Volatile.Read(ref _failures) < count)
            {
                await Volatile.Read(ref _failed).Task.WaitAsync(cancellationToken);
            }
        }

        public Task EnsureIndexesAsync(CancellationToken cancellationToken) => inner.EnsureIndexesAsync(cancellationToken);

        public Task<bool> TryInsertAsync(TryonJob job, CancellationToken cancellationToken) => Call(() => inner.TryInsertAsync(job, cancellationToken));

        public Task<TryonJob?> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) => Call(() => inner.FindAsync(userId, id, cancellationToken));

        public Task<TryonJob?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) => Call(() => inner.FindByIdempotencyKeyAsync(idempotencyKey, cancellationToken));

        public Task<IReadOnlyList<TryonJob>> ListAsync(Guid userId, Guid? bodyId, CancellationToken cancellationToken) => Call(() => inner.ListAsync(userId, bodyId, cancellationToken));

        public Task<int> MaxVersionAsync(Guid userId, string outfitKey, CancellationToken cancellationToken) => Call(() => inner.MaxVersionAsync(userId, outfitKey, cancellationToken));

        public Task<TryonJob?> TryClaimAsync(string owner, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken) => Call(() => inner.TryClaimAsync(owner, now, leaseUntil, cancellationToken));

        public Task<bool> TryReplaceAsync(TryonJob job, string expectedStatus, string? expectedOwner, CancellationToken cancellationToken) => Call(() => inner.TryReplaceAsync(job, expectedStatus, expectedOwner, cancellationToken));

        public Task<bool> RequestCancelAsync(Guid userId, Guid id, bool delete, CancellationToken cancellationToken) => Call(() => inner.RequestCancelAsync(userId, id, delete, cancellationToken));

        public Task<bool> DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken) => Call(() => inner.DeleteAsync(userId, id, cancellationToken));

        public Task<long> CountQueuedAsync(CancellationToken cancellationToken) => Call(() => inner.CountQueuedAsync(cancellationToken));

        public Task<IReadOnlyList<TryonJob>> ListRefundPendingAsync(int skip, int limit, CancellationToken cancellationToken) => Call(() => inner.ListRefundPendingAsync(skip, limit, cancellationToken));

        public Task<IReadOnlyList<TryonJob>> ListPendingPaymentAsync(DateTime createdBefore, int limit, CancellationToken cancellationToken) => Call(() => inner.ListPendingPaymentAsync(createdBefore, limit, cancellationToken));

        public Task MarkRefundedAsync(Guid id, CancellationToken cancellationToken) => Call(async () => { await inner.MarkRefundedAsync(id, cancellationToken); return true; });

        public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken) => Call(async () => { await inner.DeleteAllForUserAsync(userId, cancellationToken); return true; });

        private Task<T> Call<T>(Func<Task<T>> call)
        {
            if (!Failing)
            {
                return call();
            }

            Interlocked.Increment(ref _failures);
            Interlocked.Exchange(ref _failed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            throw new LiteException(0, "The database is away (simulated).");
        }
    }

    /// <summary>A try-on engine that answers at once with a small PNG: this test is about the jobs, not the pictures.</summary>
    private sealed class QuickEngine : ITryonEngine
    {
        public Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken)
        {
            progress.Report(new TryonProgress("validating", 5, null));
            var png = TestImages.Png(300, 300);
            return Task.FromResult(new TryonResult(png, "image/png", 300, 300, []));
        }
    }
}
