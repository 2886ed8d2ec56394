using WearIt.ServiceDefaults.OpenApi;
using LiteDB;
using MongoDB.Driver;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Auth;

/// <summary>
/// Ended sessions, kept for <see cref="SessionRevocations.Horizon"/> (no access token of them lives longer). They
/// outlive the account they name: a deleted account's tokens are refused like a logged-out one's.
/// </summary>
public interface ISessionRevocationRepository : ISessionRevocationSource
{
    Task AddAsync(SessionRevocation revocation, CancellationToken cancellationToken);
}

/// <summary>Session revocations in LiteDB collection <c>session_revocations</c> (embedded mode).</summary>
public sealed class LiteDbSessionRevocationRepository(ILiteDatabase database, TimeProvider time) : ISessionRevocationRepository, IRequiresIndexes
{
    private readonly ILiteCollection<SessionRevocation> _revocations = database.GetCollection<SessionRevocation>("session_revocations");

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _revocations.EnsureIndex(revocation => revocation.At);
        return Task.CompletedTask;
    }

    public Task AddAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        _revocations.Insert(revocation);
        _revocations.DeleteMany(old => old.At < time.GetUtcNow().UtcDateTime - SessionRevocations.Horizon);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SessionRevocation>>(_revocations.Query().Where(revocation => revocation.At >= since).OrderBy(revocation => revocation.At).ToList());
}

/// <summary>Session revocations in MongoDB collection <c>session_revocations</c>; a TTL index removes them after the horizon.</summary>
public sealed class MongoSessionRevocationRepository(IMongoDatabase database) : ISessionRevocationRepository, IRequiresIndexes
{
    private readonly IMongoCollection<SessionRevocation> _revocations = database.GetCollection<SessionRevocation>("session_revocations");

    private const string TtlIndex = "at_ttl";

    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _revocations.Indexes.CreateOneAsync(new CreateIndexModel<SessionRevocation>(
                Builders<SessionRevocation>.IndexKeys.Ascending(revocation => revocation.At),
                new CreateIndexOptions { Name = TtlIndex, ExpireAfter = SessionRevocations.Horizon }), cancellationToken: cancellationToken);
        }
        catch (MongoCommandException ex) when (ex.CodeName == "IndexOptionsConflict")
        {
            // The index exists with an older horizon (it was 30 minutes before lasting tokens): a TTL changes in place.
            await database.RunCommandAsync<MongoDB.Bson.BsonDocument>(new MongoDB.Bson.BsonDocument
            {
                ["collMod"] = _revocations.CollectionNamespace.CollectionName,
                ["index"] = new MongoDB.Bson.BsonDocument { ["name"] = TtlIndex, ["expireAfterSeconds"] = (long)SessionRevocations.Horizon.TotalSeconds },
            }, cancellationToken: cancellationToken);
        }
    }

    public Task AddAsync(SessionRevocation revocation, CancellationToken cancellationToken) =>
        _revocations.InsertOneAsync(revocation, cancellationToken: cancellationToken);

    public async Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken) =>
        await _revocations.Find(revocation => revocation.At >= since).SortBy(revocation => revocation.At).ToListAsync(cancellationToken);
}

/// <summary>ApiService reads ended sessions straight from its database.</summary>
public sealed class SessionRevocationDatabaseSource(ISessionRevocationRepository repository) : ISessionRevocationSource
{
    public Task<IReadOnlyList<SessionRevocation>> ListSinceAsync(DateTime since, CancellationToken cancellationToken) => repository.ListSinceAsync(since, cancellationToken);
}

/// <summary>
/// Ends sessions: records the revocation (so every instance and TryonService learn of it within seconds) and takes it
/// in here at once.
/// </summary>
public sealed class SessionEnder(ISessionRevocationRepository repository, SessionRevocations revocations, TimeProvider time)
{
    /// <summary>Ends one session (a logout, a reused refresh token).</summary>
    public Task EndSessionAsync(Guid userId, Guid familyId, CancellationToken cancellationToken) =>
        RecordAsync(new SessionRevocation { Id = Guid.NewGuid(), UserId = userId, FamilyId = familyId, At = time.GetUtcNow().UtcDateTime }, cancellationToken);

    /// <summary>Ends every session of the user so far but <paramref name="keepFamilyId"/> (a password change keeps its own).</summary>
    public Task EndAllSessionsAsync(Guid userId, Guid? keepFamilyId, CancellationToken cancellationToken) =>
        RecordAsync(new SessionRevocation { Id = Guid.NewGuid(), UserId = userId, ExceptFamilyId = keepFamilyId, At = time.GetUtcNow().UtcDateTime }, cancellationToken);

    /// <summary>Whether the session was ended (read from the database, so a race with another instance is seen).</summary>
    public async Task<bool> EndedAsync(Guid userId, Guid familyId, DateTime issuedAt, CancellationToken cancellationToken) =>
        (await repository.ListSinceAsync(issuedAt - SessionRevocations.Horizon, cancellationToken)).Any(revocation => revocation.Ends(userId, familyId, issuedAt));

    private async Task RecordAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        await repository.AddAsync(revocation, cancellationToken);
        revocations.Add([revocation]);
    }
}

/// <summary>The internal read of ended sessions TryonService polls with a service token.</summary>
public static class SessionRevocationEndpoints
{
    public static IEndpointRouteBuilder MapSessionRevocationsInternalApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/v1/sessions/revocations", async (DateTime? since, ISessionRevocationRepository repository, TimeProvider time, CancellationToken cancellationToken) =>
                TypedResults.Ok(await repository.ListSinceAsync(since ?? time.GetUtcNow().UtcDateTime - SessionRevocations.Horizon, cancellationToken)))
            .WithTags("Internal")
            .WithName("ListSessionRevocations").ProducesProblems(400)
            .WithSummary("Sessions ended since a moment (logout, password change or reset, reuse, account deletion), for TryonService.")
            .RequireAuthorization(JwtAuthenticationRegistration.ServicePolicy).ProducesInternalProblems();
        return app;
    }
}
