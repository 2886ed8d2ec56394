namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>
/// A deleted account whose data elsewhere (TryonService, stored objects) is not yet confirmed gone.
/// It is written before anything is deleted and removed only when every part has succeeded.
/// </summary>
public sealed class PendingUserDeletion
{
    /// <summary>The deleted user's id.</summary>
    public Guid Id { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    /// <summary>Why the last attempt failed, for operators.</summary>
    public string? LastError { get; set; }
}
