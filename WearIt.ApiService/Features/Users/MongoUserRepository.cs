using MongoDB.Driver;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Users;

/// <summary>Users in MongoDB collection <c>users</c>.</summary>
public sealed class MongoUserRepository(IMongoDatabase database) : IUserRepository, IRequiresIndexes
{
    private readonly IMongoCollection<User> _users = database.GetCollection<User>("users");

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        await _users.Indexes.CreateManyAsync(
        [
            new CreateIndexModel<User>(Builders<User>.IndexKeys.Ascending(user => user.Email), new CreateIndexOptions { Unique = true, Name = "email_unique" }),
            new CreateIndexModel<User>(Builders<User>.IndexKeys.Ascending(user => user.ReferralCode), new CreateIndexOptions { Unique = true, Name = "referral_code_unique" }),
        ], cancellationToken);
    }

    public async Task<bool> TryInsertAsync(User user, CancellationToken cancellationToken)
    {
        try
        {
            await _users.InsertOneAsync(user, cancellationToken: cancellationToken);
            return true;
        }
        catch (MongoWriteException ex) when (DuplicateKey.IsMongo(ex))
        {
            return false;
        }
    }

    public async Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        await _users.Find(user => user.Id == id).FirstOrDefaultAsync(cancellationToken);

    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        await _users.Find(user => user.Email == email).FirstOrDefaultAsync(cancellationToken);

    public async Task<User?> FindByReferralCodeAsync(string referralCode, CancellationToken cancellationToken) =>
        await _users.Find(user => user.ReferralCode == referralCode).FirstOrDefaultAsync(cancellationToken);

    public async Task<bool> TryReplaceAsync(User user, CancellationToken cancellationToken)
    {
        var readVersion = user.Version;
        user.Version = readVersion + 1;
        var result = await _users.ReplaceOneAsync(
            stored => stored.Id == user.Id && stored.Version == readVersion, user, cancellationToken: cancellationToken);
        if (result.ModifiedCount == 1)
        {
            return true;
        }

        user.Version = readVersion;
        return false;
    }

    public Task DeleteAsync(Guid id, CancellationToken cancellationToken) =>
        _users.DeleteOneAsync(user => user.Id == id, cancellationToken);
}
