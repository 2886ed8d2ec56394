namespace WearIt.ApiService.Features.AccountDeletion;

/// <summary>
/// Implemented (and registered with <c>AddUserDataEraser</c>) by every feature that
/// stores a user's data: when the account is deleted each one erases its own. A new feature that stores user data
/// adds its eraser and touches nothing else. Erasing must be idempotent: a deletion may be attempted again.
/// </summary>
public interface IUserDataEraser
{
    /// <summary>When this eraser runs: <see cref="UserDataErasers.Access"/> ones first, then the rest.</summary>
    int Order { get; }

    Task EraseAsync(Guid userId, CancellationToken cancellationToken);
}

public static class UserDataErasers
{
    /// <summary>What lets the user in (sessions, refresh tokens): erased before anything else, so no token works meanwhile.</summary>
    public const int Access = 0;

    /// <summary>The account and what it owns.</summary>
    public const int Records = 1;

    public static IServiceCollection AddUserDataEraser<TEraser>(this IServiceCollection services) where TEraser : class, IUserDataEraser =>
        services.AddScoped<IUserDataEraser, TEraser>();

    /// <summary>An eraser that is one call on one service (a repository's delete-all-of-a-user), run at <see cref="Records"/>.</summary>
    public static IServiceCollection AddUserDataEraser<TService>(this IServiceCollection services, Func<TService, Guid, CancellationToken, Task> erase)
        where TService : notnull =>
        services.AddScoped<IUserDataEraser>(provider => new OneCallEraser(Records, (userId, cancellationToken) =>
            erase(provider.GetRequiredService<TService>(), userId, cancellationToken)));

    private sealed class OneCallEraser(int order, Func<Guid, CancellationToken, Task> erase) : IUserDataEraser
    {
        public int Order => order;

        public Task EraseAsync(Guid userId, CancellationToken cancellationToken) => erase(userId, cancellationToken);
    }
}
