using LiteDB;
using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Wrong passwords in a row for one email key (see <see cref="LoginThrottle"/>).</summary>
public sealed class LoginAttempts
{
    /// <summary>The email key (a hash of the normalized address).</summary>
    public string Id { get; set; } = "";

    public int Failures { get; set; }

    public DateTime LastFailureAt { get; set; }
}

/// <summary>Failed-login counts per email key; a count whose last failure is older than the window starts over.</summary>
public interface ILoginAttemptRepository
{
    Task<LoginAttempts?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Counts one more failure at <paramref name="at"/>, starting from zero when the last one was before <paramref name="staleBefore"/>.</summary>
    Task<LoginAttempts> AddFailureAsync(string key, DateTime at, DateTime staleBefore, CancellationToken cancellationToken);

    Task ClearAsync(string key, CancellationToken cancellationToken);
}

/// <summary>Login attempts in LiteDB collection <c>login_attempts</c>; stale ones are removed as failures are counted.</summary>
public sealed class LiteDbLoginAttemptRepository(ILiteDatabase database) : ILoginAttemptRepository, IRequiresIndexes
{
    private readonly ILiteCollection<LoginAttempts> _attempts = database.GetCollection<LoginAttempts>("login_attempts");

    // LiteDB has no atomic increment-or-insert; embedded mode is one process, so a lock makes the count exact.
    private readonly Lock _counting = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _attempts.EnsureIndex(attempt => attempt.LastFailureAt);
        return Task.CompletedTask;
    }

    public Task<LoginAttempts?> FindAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult<LoginAttempts?>(_attempts.FindById(key));

    public Task<LoginAttempts> AddFailureAsync(string key, DateTime at, DateTime staleBefore, CancellationToken cancellationToken)
    {
        lock (_counting)
        {
            var current = _attempts.FindById(key);
            var next = new LoginAttempts
            {
                Id = key,
                Failures = current is null || current.LastFailureAt < staleBefore ? 1 : current.Failures + 1,
                LastFailureAt = at,
            };
            _attempts.Upsert(next);
            _attempts.DeleteMany(attempt => attempt.LastFailureAt < staleBefore);
            return Task.FromResult(next);
        }
    }

    public Task ClearAsync(string key, CancellationToken cancellationToken)
    {
        _attempts.Delete(key);
        return Task.CompletedTask;
    }
}

/// <summary>Login attempts in MongoDB collection <c>login_attempts</c>; a TTL index removes them a day after the last failure.</summary>
public sealed class MongoLoginAttemptRepository(IMongoDatabase database) : ILoginAttemptRepository, IRequiresIndexes
{
    private readonly IMongoCollection<LoginAttempts> _attempts = database.GetCollection<LoginAttempts>("login_attempts");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken) =>
        await _attempts.Indexes.CreateOneAsync(new CreateIndexModel<LoginAttempts>(
            Builders<LoginAttempts>.IndexKeys.Ascending(attempt => attempt.LastFailureAt),
            new CreateIndexOptions { Name = "last_failure_ttl", ExpireAfter = TimeSpan.FromDays(1) }), cancellationToken: cancellationToken);

    public async Task<LoginAttempts?> FindAsync(string key, CancellationToken cancellationToken) =>
        await _attempts.Find(attempt => attempt.Id == key).FirstOrDefaultAsync(cancellationToken);

    public async Task<LoginAttempts> AddFailureAsync(string key, DateTime at, DateTime staleBefore, CancellationToken cancellationToken)
    {
        // A stale count starts over; racing with another failure here at worst loses one count of a stale run.
        await _attempts.UpdateOneAsync(attempt => attempt.Id == key && attempt.LastFailureAt < staleBefore,
            Builders<LoginAttempts>.Update.Set(attempt => attempt.Failures, 0), cancellationToken: cancellationToken);
        try
        {
            return await IncrementAsync(key, at, cancellationToken);
        }
        catch (MongoCommandException ex) when (ex.Code == 11000)
        {
            // Two first failures upserted at once: the loser's increment now finds the winner's document.
            return await IncrementAsync(key, at, cancellationToken);
        }
    }

    public Task ClearAsync(string key, CancellationToken cancellationToken) =>
        _attempts.DeleteOneAsync(attempt => attempt.Id == key, cancellationToken);

    private Task<LoginAttempts> IncrementAsync(string key, DateTime at, CancellationToken cancellationToken) =>
        _attempts.FindOneAndUpdateAsync<LoginAttempts>(attempt => attempt.Id == key,
            Builders<LoginAttempts>.Update.Inc(attempt => attempt.Failures, 1).Set(attempt => attempt.LastFailureAt, at),
            new FindOneAndUpdateOptions<LoginAttempts> { IsUpsert = true, ReturnDocument = ReturnDocument.After }, cancellationToken);
}
