namespace WearIt.ApiService.Features.Bodies;

/// <summary>Stores body photos; every read and write is scoped to one user.</summary>
public interface IBodyRepository
{
    Task InsertAsync(Body body, CancellationToken cancellationToken);

    /// <summary>The user's bodies, newest first.</summary>
    Task<IReadOnlyList<Body>> ListAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>The body if it exists and belongs to the user.</summary>
    Task<Body?> FindAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken);

    /// <summary>Makes one of the user's bodies the default and every other one not; false when it is not theirs.</summary>
    Task<bool> SetDefaultAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken);

    /// <summary>Deletes the body if it belongs to the user; false otherwise.</summary>
    Task<bool> DeleteAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken);

    Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>
    /// Records the outcome of a body's analysis, only while the body exists and has none yet (status <c>processing</c>,
    /// or <c>ready</c> without an analysis); false otherwise, so an analysis of a deleted body is never written.
    /// </summary>
    Task<bool> CompleteAnalysisAsync(Guid userId, Guid bodyId, string status, string? rejectionCode, string? rejectionMessage, BodyAnalysis? analysis, CancellationToken cancellationToken);

    /// <summary>Bodies of every user still waiting for their analysis, oldest first.</summary>
    Task<IReadOnlyList<Body>> ListProcessingAsync(int limit, CancellationToken cancellationToken);
}
