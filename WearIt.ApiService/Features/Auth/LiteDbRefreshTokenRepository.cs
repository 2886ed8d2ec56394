using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Auth;

/// <summary>Refresh tokens in LiteDB collection <c>refresh_tokens</c> (embedded mode).</summary>
public sealed class LiteDbRefreshTokenRepository(ILiteDatabase database) : IRefreshTokenRepository, IRequiresIndexes
{
    private readonly ILiteCollection<RefreshToken> _tokens = database.GetCollection<RefreshToken>("refresh_tokens");

    // NOTE: one process owns an embedded database; this gate makes check-and-set one step within it.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _tokens.EnsureIndex(token => token.UserId);
        _tokens.EnsureIndex(token => token.FamilyId);
        return Task.CompletedTask;
    }

    public Task InsertAsync(RefreshToken token, CancellationToken cancellationToken)
    {
        _tokens.Insert(token);
        return Task.CompletedTask;
    }

    public Task<RefreshToken?> FindAsync(string tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult<RefreshToken?>(_tokens.FindById(tokenHash));

    public Task<bool> TryMarkRotatedAsync(string tokenHash, DateTime at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var token = _tokens.FindById(tokenHash);
            if (token is null || token.RotatedAt is not null || token.RevokedAt is not null)
            {
                return Task.FromResult(false);
            }

            token.RotatedAt = at;
            _tokens.Update(token);
            return Task.FromResult(true);
        }
    }

    public Task RevokeFamilyAsync(Guid familyId, DateTime at, CancellationToken cancellationToken) =>
        Revoke(token => token.FamilyId == familyId, _ => true, at);

    public Task RevokeAllForUserAsync(Guid userId, Guid? keepFamilyId, DateTime at, CancellationToken cancellationToken) =>
        Revoke(token => token.UserId == userId, token => token.FamilyId != keepFamilyId, at);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _tokens.DeleteMany(token => token.UserId == userId);
        return Task.CompletedTask;
    }

    private Task Revoke(System.Linq.Expressions.Expression<Func<RefreshToken, bool>> indexed, Func<RefreshToken, bool> alsoMatching, DateTime at)
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Find(indexed).Where(token => token.RevokedAt is null && alsoMatching(token)).ToList())
            {
                token.RevokedAt = at;
                _tokens.Update(token);
            }
        }

        return Task.CompletedTask;
    }
}
