using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace WearIt.ServiceDefaults.Databases;

/// <summary>A repository that creates its indexes (idempotently) when the service starts.</summary>
public interface IRequiresIndexes
{
    /// <summary>Creates the repository's indexes if they do not exist.</summary>
    Task EnsureIndexesAsync(CancellationToken cancellationToken);
}

/// <summary>Runs every repository's <see cref="IRequiresIndexes.EnsureIndexesAsync"/> before the service takes requests.</summary>
internal sealed class DatabaseIndexInitializer(IEnumerable<IRequiresIndexes> repositories) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var repository in repositories)
        {
            await repository.EnsureIndexesAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Registers a repository's MongoDB or LiteDB implementation, whichever the service's database is.</summary>
public static class RepositoryRegistration
{
    /// <summary>Registers <typeparamref name="TMongo"/> or <typeparamref name="TLite"/> as <typeparamref name="TService"/>, and its index set-up.</summary>
    public static IHostApplicationBuilder AddRepository<TService, TMongo, TLite>(this IHostApplicationBuilder builder)
        where TService : class
        where TMongo : class, TService, IRequiresIndexes
        where TLite : class, TService, IRequiresIndexes
    {
        var options = Microsoft.Extensions.Configuration.ConfigurationBinder.Get<DatabaseOptions>(
            builder.Configuration.GetSection(DatabaseOptions.SectionName)) ?? new DatabaseOptions();
        if (options.Provider == DatabaseProvider.MongoDB)
        {
            builder.Services.AddSingleton<TService, TMongo>();
        }
        else
        {
            builder.Services.AddSingleton<TService, TLite>();
        }

        builder.Services.AddSingleton(services => (IRequiresIndexes)services.GetRequiredService<TService>());
        return builder;
    }
}
