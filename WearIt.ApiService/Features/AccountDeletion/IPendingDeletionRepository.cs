namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>Stores account deletions that still have work to do.</summary>
public interface IPendingDeletionRepository
{
    Task UpsertAsync(PendingUserDeletion pending, CancellationToken cancellationToken);

    Task<IReadOnlyList<PendingUserDeletion>> ListDueAsync(DateTime now, int limit, CancellationToken cancellationToken);

    Task<PendingUserDeletion?> FindAsync(Guid userId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid userId, CancellationToken cancellationToken);
}
