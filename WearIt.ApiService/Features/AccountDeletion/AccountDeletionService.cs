using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.ServiceDefaults.Health;

namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>
/// Deletes an account and everything it owns. The intent is recorded first; then every feature's
/// <see cref="IUserDataEraser"/> erases its records at once (sign-in access first); stored objects and TryonService's
/// data are deleted now and, if any part fails, again by <see cref="AccountDeletionWorker"/> until they are gone.
/// </summary>
public sealed partial class AccountDeletionService(
    IPendingDeletionRepository pending,
    IEnumerable<IUserDataEraser> erasers,
    IObjectStore objects,
    ITryonServiceClient tryonService,
    TimeProvider time,
    ILogger<AccountDeletionService> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(30);

    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        await pending.UpsertAsync(new PendingUserDeletion { Id = userId, NextAttemptAt = time.GetUtcNow().UtcDateTime }, cancellationToken);
        // Every token of the account is refused from now on, here and at TryonService, before anything is deleted
        // (the Access erasers); OrderBy is stable, so erasers of one order run as they were registered.
        foreach (var eraser in erasers.OrderBy(eraser => eraser.Order))
        {
            await eraser.EraseAsync(userId, cancellationToken);
        }

        LogAccountDeleted(logger, userId);

        // The account is gone whatever happens next; the rest is retried until it succeeds.
        await CompleteAsync(userId, CancellationToken.None);
    }

    /// <summary>Deletes the user's stored objects and TryonService data; on failure schedules the next attempt.</summary>
    public async Task<bool> CompleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        try
        {
            await objects.DeleteByPrefixAsync($"users/{userId}/", cancellationToken);
            await tryonService.DeleteUserDataAsync(userId, cancellationToken);
            await pending.DeleteAsync(userId, cancellationToken);
            LogDataDeleted(logger, userId);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or Amazon.Runtime.AmazonServiceException)
        {
            var record = await pending.FindAsync(userId, CancellationToken.None) ?? new PendingUserDeletion { Id = userId };
            record.Attempts++;
            record.LastError = ex.Message;
            var backoff = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, 5 * Math.Pow(2, record.Attempts - 1)));
            record.NextAttemptAt = time.GetUtcNow().UtcDateTime.Add(backoff);
            await pending.UpsertAsync(record, CancellationToken.None);
            LogDeletionRetry(logger, ex, userId, record.Attempts, backoff);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} deleted")]
    private static partial void LogAccountDeleted(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "All stored data of deleted account {UserId} removed")]
    private static partial void LogDataDeleted(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the data of deleted account {UserId} failed (attempt {Attempts}); retrying in {Backoff}")]
    private static partial void LogDeletionRetry(ILogger logger, Exception exception, Guid userId, int attempts, TimeSpan backoff);
}

/// <summary>
/// Finishes account deletions whose first attempt could not remove everything. A round that fails (the database away)
/// is logged and tried again with a backoff, and /health says Degraded meanwhile; it never stops ApiService.
/// </summary>
public sealed class AccountDeletionWorker(IServiceScopeFactory scopes, IPendingDeletionRepository pending, BackgroundLoops loops, TimeProvider time) : BackgroundService
{
    private const int Batch = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("account-deletion", RoundAsync, PollInterval, stoppingToken);

    /// <summary>Completes the due deletions; true when a full batch was due (there may be more at once).</summary>
    private async Task<bool> RoundAsync(CancellationToken stoppingToken)
    {
        var due = await pending.ListDueAsync(time.GetUtcNow().UtcDateTime, Batch, stoppingToken);
        await using var scope = scopes.CreateAsyncScope();
        var deletion = scope.ServiceProvider.GetRequiredService<AccountDeletionService>();
        foreach (var record in due)
        {
            await deletion.CompleteAsync(record.Id, stoppingToken);
        }

        return due.Count == Batch;
    }
}
