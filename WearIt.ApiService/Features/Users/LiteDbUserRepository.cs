using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Users;

/// <summary>Users in LiteDB collection <c>users</c> (embedded mode).</summary>
public sealed class LiteDbUserRepository(ILiteDatabase database) : IUserRepository, IRequiresIndexes
{
    private readonly ILiteCollection<User> _users = database.GetCollection<User>("users");

    // NOTE: one process owns an embedded database; this gate makes read-check-write one step within it.
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

    public Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<User?>(_users.FindById(id));

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
            return Task.FromResult(true);
        }
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        _users.Delete(id);
        return Task.CompletedTask;
    }
}
