using System.Collections.Concurrent;
using WearIt.ServiceDefaults.Errors;
using WearIt.TryonService.Features.Tryons;

namespace WearIt.Tests.Support;

/// <summary>
/// Stands in for ApiService where TryonService is tested alone: the bodies and garments a test gives it, and a credit
/// ledger that answers as ApiService's does (a spend is idempotent by job and refused with 402 at zero; a refund of
/// a job that spent nothing is 404 <c>spend_not_found</c>; a refund is idempotent). Everything it was asked is recorded.
/// </summary>
public sealed class FakeApiService : IApiServiceClient
{
    /// <summary>The body most tests try garments on.</summary>
    public static readonly Guid Body = Guid.Parse("11111111-1111-1111-1111-111111111111");

    /// <summary>The top most tests try on.</summary>
    public static readonly Guid Top = Guid.Parse("33333333-3333-3333-3333-333333333333");

    private readonly ConcurrentDictionary<Guid, BodyInfo> _bodies = new();
    private readonly ConcurrentDictionary<Guid, GarmentInfo> _garments = new();
    private readonly Lock _ledger = new();
    private int? _credits;
    private int _spends;

    /// <summary>The jobs a credit was spent for.</summary>
    public ConcurrentDictionary<Guid, bool> Charged { get; } = new();

    /// <summary>The jobs whose credit was given back.</summary>
    public ConcurrentDictionary<Guid, bool> Refunded { get; } = new();

    /// <summary>How many spends were asked for (charged or refused).</summary>
    public int Spends => Volatile.Read(ref _spends);

    /// <summary>How long a spend takes before it is decided, as over the network.</summary>
    public TimeSpan SpendLatency { get; init; }

    /// <summary>The balance; null (the default) is more credits than any test spends.</summary>
    public int? Credits
    {
        get
        {
            lock (_ledger)
            {
                return _credits;
            }
        }

        set
        {
            lock (_ledger)
            {
                _credits = value;
            }
        }
    }

    /// <summary>Runs before each body lookup answers (a test that orders lookups waits here).</summary>
    public Func<Guid, CancellationToken, Task>? BeforeBodyLookup { get; set; }

    /// <summary>Runs when a garment is looked up.</summary>
    public Action<Guid>? OnGarmentLookup { get; set; }

    public FakeApiService WithBody(BodyInfo body)
    {
        _bodies[body.Id] = body;
        return this;
    }

    public FakeApiService WithGarment(Guid id, string clothType, string imageKey)
    {
        _garments[id] = new GarmentInfo(id, "catalog", clothType, imageKey);
        return this;
    }

    public async Task<BodyInfo> GetBodyAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (BeforeBodyLookup is { } before)
        {
            await before(bodyId, cancellationToken);
        }

        return _bodies.TryGetValue(bodyId, out var body) ? body : throw DomainException.NotFound("The body photo");
    }

    // Every answer, an error too, comes as a task, as from the real client: nothing throws before it is awaited.
    public async Task<GarmentInfo> GetGarmentAsync(Guid userId, string source, Guid id, CancellationToken cancellationToken)
    {
        await Task.Yield();
        OnGarmentLookup?.Invoke(id);
        return _garments.TryGetValue(id, out var garment) ? garment with { Source = source } : throw DomainException.NotFound("The garment");
    }

    public async Task SpendCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _spends);
        if (SpendLatency > TimeSpan.Zero)
        {
            await Task.Delay(SpendLatency, cancellationToken);
        }

        lock (_ledger)
        {
            if (Charged.ContainsKey(jobId))
            {
                return;
            }

            if (_credits <= 0)
            {
                throw new DomainException(ErrorKind.PaymentRequired, "credits_exhausted", "You have no credits left.");
            }

            _credits--;
            Charged[jobId] = true;
        }
    }

    /// <summary>Records that a job was paid for, as the accept path does before a job is queued (for jobs a test writes itself).</summary>
    public void Paid(Guid jobId) => Charged[jobId] = true;

    public Task RefundCreditAsync(Guid userId, Guid jobId, CancellationToken cancellationToken)
    {
        lock (_ledger)
        {
            if (!Charged.ContainsKey(jobId))
            {
                throw new DomainException(ErrorKind.NotFound, "spend_not_found", "No credit was spent for this job.");
            }

            if (Refunded.TryAdd(jobId, true))
            {
                _credits++;
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> WasChargedAsync(Guid userId, Guid jobId, CancellationToken cancellationToken) => Task.FromResult(Charged.ContainsKey(jobId));
}
