using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Users;

/// <summary>Read-change-replace of a stored user under its optimistic version.</summary>
public static class UserUpdates
{
    /// <summary>Applies a change to the stored user, re-reading and re-applying when another write got there first.</summary>
    public static Task<User> UpdateAsync(this IUserRepository users, Guid userId, Action<User> change, CancellationToken cancellationToken) =>
        users.UpdateAsync(userId, maxAttempts: 5, change, cancellationToken);

    /// <summary>As above, giving up after <paramref name="maxAttempts"/> lost races.</summary>
    public static async Task<User> UpdateAsync(this IUserRepository users, Guid userId, int maxAttempts, Action<User> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < maxAttempts; attempt++)
        {
            var user = await users.FindByIdAsync(userId, cancellationToken) ?? throw DomainException.NotFound("The account");
            change(user);
            if (await users.TryReplaceAsync(user, cancellationToken))
            {
                return user;
            }
        }

        throw new DomainException(ErrorKind.Conflict, "concurrent_update", "The account changed while it was being updated; try again.");
    }
}
