using WearIt.ServiceDefaults.Databases;

namespace WearIt.Tests.Repositories;

/// <summary>Base of every repository contract: a backend's database, the repository over it, its indexes created.</summary>
public abstract class RepositoryContract<TRepository> : IAsyncLifetime
{
    private ITestDatabase? _database;

    protected TRepository Repository { get; private set; } = default!;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    protected abstract ITestDatabase OpenDatabase();

    protected abstract TRepository Create(ITestDatabase database);

    public async ValueTask InitializeAsync()
    {
        _database = OpenDatabase();
        Repository = Create(_database);
        await ((IRequiresIndexes)Repository!).EnsureIndexesAsync(Cancellation);
        await ((IRequiresIndexes)Repository!).EnsureIndexesAsync(Cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Times as both backends store them: UTC, to the millisecond.</summary>
    protected static DateTime Now() => DateTime.SpecifyKind(new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
