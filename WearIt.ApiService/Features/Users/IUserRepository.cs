namespace WearIt.ApiService.Features.Users;

/// <summary>Stores accounts. Email and referral code are unique; replacing checks the version read.</summary>
public interface IUserRepository
{
    /// <summary>Inserts a new user; false when the email or referral code is taken.</summary>
    Task<bool> TryInsertAsync(User user, CancellationToken cancellationToken);

    Task<User?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Finds a user by an already normalised email.</summary>
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken);

    Task<User?> FindByReferralCodeAsync(string referralCode, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the stored user if its version is still <paramref name="user"/>'s, and counts the version up.
    /// False when someone else changed it first (or it is gone).
    /// </summary>
    Task<bool> TryReplaceAsync(User user, CancellationToken cancellationToken);

    Task DeleteAsync(Guid id, CancellationToken cancellationToken);
}
