using LiteDB;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace WearIt.ServiceDefaults.Databases;

/// <summary>Registers one <see cref="ILiteDatabase"/> from <c>ConnectionStrings:{name}</c> and a readiness check.</summary>
public static class LiteDatabaseRegistration
{
    /// <summary>The readiness check's name.</summary>
    public const string HealthCheckName = "litedb";

    /// <summary>Opens (creating if needed) the LiteDB file the connection string names.</summary>
    public static IHostApplicationBuilder AddLiteDatabase(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
        }

        var parsed = new ConnectionString(connectionString);
        builder.Services.AddSingleton<ILiteDatabase>(_ =>
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(parsed.Filename));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }

            return new LiteDatabase(parsed, CreateMapper());
        });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            services => new LiteDatabaseHealthCheck(services.GetRequiredService<ILiteDatabase>()),
            HealthStatus.Unhealthy,
            tags: null));
        builder.Services.AddHostedService<DatabaseIndexInitializer>();
        return builder;
    }

    /// <summary>
    /// LiteDB's mapper, set to hand <see cref="DateTime"/> values back in UTC as MongoDB does
    /// (LiteDB stores UTC but reads local time by default).
    /// </summary>
    public static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper();
        mapper.RegisterType(
            serialize: value => new BsonValue(value.ToUniversalTime()),
            deserialize: bson => bson.AsDateTime.ToUniversalTime());
        return mapper;
    }
}

/// <summary>Healthy when the LiteDB file can be read.</summary>
public sealed class LiteDatabaseHealthCheck(ILiteDatabase database) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            _ = database.GetCollectionNames().Count();
            return Task.FromResult(HealthCheckResult.Healthy());
        }
        catch (Exception ex) when (ex is LiteException or IOException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The LiteDB file cannot be read.", ex));
        }
    }
}
