using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using WearIt.ServiceDefaults.Health;

namespace WearIt.ServiceDefaults.Authentication;

/// <summary>Refreshes <see cref="SessionRevocations"/> from the service's source every two seconds, as a background loop.</summary>
public sealed class SessionRevocationRefresher(SessionRevocations revocations, IServiceScopeFactory scopes, BackgroundLoops loops) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        loops.RunAsync("session-revocations", async cancellationToken =>
        {
            await using var scope = scopes.CreateAsyncScope();
            await revocations.RefreshAsync(scope.ServiceProvider.GetRequiredService<ISessionRevocationSource>(), cancellationToken);
            return false;
        }, Interval, stoppingToken);
}

public static class SessionRevocationRegistration
{
    /// <summary>Where this service reads ended sessions from, refreshed in the background.</summary>
    public static IServiceCollection AddSessionRevocationSource<TSource>(this IServiceCollection services) where TSource : class, ISessionRevocationSource
    {
        services.TryAddScoped<TSource>();
        services.AddScoped<ISessionRevocationSource>(provider => provider.GetRequiredService<TSource>());
        services.AddHostedService<SessionRevocationRefresher>();
        return services;
    }
}
