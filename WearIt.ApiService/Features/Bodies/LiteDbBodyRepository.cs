using LiteDB;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>Bodies in LiteDB collection <c>bodies</c> (embedded mode).</summary>
public sealed class LiteDbBodyRepository(ILiteDatabase database) : IBodyRepository, IRequiresIndexes
{
    private readonly ILiteCollection<Body> _bodies = database.GetCollection<Body>("bodies");

    // NOTE: one process owns an embedded database; this gate keeps "exactly one default" true under concurrent calls.
    private readonly Lock _gate = new();

    public Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        _bodies.EnsureIndex(body => body.UserId);
        _bodies.EnsureIndex(body => body.Status);
        return Task.CompletedTask;
    }

    public Task InsertAsync(Body body, CancellationToken cancellationToken)
    {
        _bodies.Insert(body);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Body>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Body>>(_bodies.Query().Where(body => body.UserId == userId).OrderByDescending(body => body.CreatedAt).ToList());

    public Task<Body?> FindAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        var body = _bodies.FindById(bodyId);
        return Task.FromResult(body?.UserId == userId ? body : null);
    }

    public Task<bool> SetDefaultAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var bodies = _bodies.Find(body => body.UserId == userId).ToList();
            if (!bodies.Any(body => body.Id == bodyId))
            {
                return Task.FromResult(false);
            }

            foreach (var body in bodies.Where(body => body.IsDefault != (body.Id == bodyId)))
            {
                body.IsDefault = body.Id == bodyId;
                _bodies.Update(body);
            }

            return Task.FromResult(true);
        }
    }

    public Task<bool> DeleteAsync(Guid userId, Guid bodyId, CancellationToken cancellationToken) =>
        Task.FromResult(_bodies.DeleteMany(body => body.Id == bodyId && body.UserId == userId) == 1);

    public Task DeleteAllForUserAsync(Guid userId, CancellationToken cancellationToken)
    {
        _bodies.DeleteMany(body => body.UserId == userId);
        return Task.CompletedTask;
    }

    public Task<bool> CompleteAnalysisAsync(Guid userId, Guid bodyId, string status, string? rejectionCode, string? rejectionMessage, BodyAnalysis? analysis, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var body = _bodies.FindById(bodyId);
            if (body is null || body.UserId != userId || !AwaitsAnalysis(body))
            {
                return Task.FromResult(false);
            }

            body.Status = status;
            body.RejectionCode = rejectionCode;
            body.RejectionMessage = rejectionMessage;
            body.Analysis = analysis;
            return Task.FromResult(_bodies.Update(body));
        }
    }

    public Task<IReadOnlyList<Body>> ListProcessingAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Body>>(_bodies.Query().Where(body => body.Status == BodyStatus.Processing).OrderBy(body => body.CreatedAt).Limit(limit).ToList());

    private static bool AwaitsAnalysis(Body body) => body.Status == BodyStatus.Processing || (body.Status == BodyStatus.Ready && body.Analysis is null);
}
