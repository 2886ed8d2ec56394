using LiteDB;
using Microsoft.Extensions.Caching.Memory;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Users;

/// <summary>
/// Users in LiteDB collection <c>users</c> (embedded mode), with the documents read by id kept in memory: every
/// authenticated request reads its user, and a LiteDB query (its parse, transaction and finalizer) was almost half of
/// what <c>/users/me</c> cost (issue 13). The copy kept is the stored document, never an object a caller holds; each
/// read maps a fresh <see cref="User"/> from it. It cannot go stale: one process owns an embedded database (direct mode
/// opens the file exclusively) and every write to the collection goes through this one instance, which updates or
/// drops the copy under the same gate that orders the writes.
/// </summary>
public sealed class LiteDbUserRepository(ILiteDatabase database) : IUserRepository, IRequiresIndexes, IDisposable
{
    /// <summary>How many users' documents are kept at most (a few hundred bytes each).</summary>
    public const int CachedUsers = 10_000;

    private readonly ILiteCollection<User> _users = database.GetCollection<User>("users");
    private readonly MemoryCache _byId = new(new MemoryCacheOptions { SizeLimit = CachedUsers, CompactionPercentage = 0.25 });
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1 };

    // NOTE: one process owns an embedded database; this gate makes read-check-write one step within it, and orders
    // the cache's fills with the writes.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _users.EnsureIndex(user => user.Email, unique: true);
        _users.EnsureIndex(user => user.ReferralCode, unique: true);
        return Task.CompletedTask;
    }

    public Task<bool> TryInsertAsync(User user, CancellationToken cancellationToken)
    {
        try
        {
            _users.Insert(user);
            return Task.FromResult(true);
        }
        catch (LiteException ex) when (DuplicateKey.IsLite(ex))
        {
            return Task.FromResult(false);
        }
    }

    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!_byId.TryGetValue(id, out BsonDocument? stored))
        {
            lock (_gate)
            {
                if (!_byId.TryGetValue(id, out stored))
                {
                    stored = database.GetCollection("users").FindById(id);
                    if (stored is null)
                    {
                        return Task.FromResult<User?>(null);
                    }

                    _byId.Set(id, stored, Entry);
                }
            }
        }

        return Task.FromResult<User?>(database.Mapper.ToObject<User>(stored!));
    }

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult<User?>(_users.FindOne(user => user.Email == email));

    public Task<User?> FindByReferralCodeAsync(string referralCode, CancellationToken cancellationToken) =>
        Task.FromResult<User?>(_users.FindOne(user => user.ReferralCode == referralCode));

    public Task<bool> TryReplaceAsync(User user, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var stored = _users.FindById(user.Id);
            if (stored is null || stored.Version != user.Version)
            {
                return Task.FromResult(false);
            }

            user.Version++;
            _users.Update(user);
            _byId.Remove(user.Id);
            return Task.FromResult(true);
        }
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _users.Delete(id);
            _byId.Remove(id);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _byId.Dispose();
}
