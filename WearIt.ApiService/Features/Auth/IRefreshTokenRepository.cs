namespace WearIt.ApiService.Features.Auth;

/// <summary>Stores refresh tokens by hash.</summary>
public interface IRefreshTokenRepository
{
    Task InsertAsync(RefreshToken token, CancellationToken cancellationToken);

    Task<RefreshToken?> FindAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Marks a live token rotated; false if it was already rotated or revoked (so exactly one caller wins).</summary>
    Task<bool> TryMarkRotatedAsync(string tokenHash, DateTime at, CancellationToken cancellationToken);

    Task RevokeFamilyAsync(Guid familyId, DateTime at, CancellationToken cancellationToken);

    /// <summary>Revokes every live token of the user, except those of <paramref name="keepFamilyId"/>.</summary>
    Task RevokeAllForUserAsync(Guid userId, Guid? keepFamilyId, DateTime at, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);
}
