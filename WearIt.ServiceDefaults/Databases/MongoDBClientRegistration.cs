using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Conventions;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace WearIt.ServiceDefaults.Databases;

/// <summary>
/// Registers one <see cref="IMongoClient"/>, the connection string's <see cref="IMongoDatabase"/> and a ping check.
/// NOTE: Aspire.MongoDB.Driver is not in the package mirror; this is the small equivalent of its AddMongoDBClient.
/// </summary>
public static class MongoDBClientRegistration
{
    /// <summary>The readiness check's name.</summary>
    public const string HealthCheckName = "mongodb";

    /// <summary>Sets the driver-wide conventions WearIt's documents rely on (Standard GUIDs, tolerant reads); idempotent.</summary>
    public static void ConfigureDriver() => _ = DriverConfiguration.Value;

    private static readonly Lazy<bool> DriverConfiguration = new(() =>
    {
        // Documents may gain fields over time; an older service reading a newer document must not fail.
        ConventionRegistry.Register("wearit", new ConventionPack { new IgnoreExtraElementsConvention(true) }, _ => true);
        BsonSerializer.TryRegisterSerializer(new DecimalSerializer(BsonType.Decimal128));
        return BsonSerializer.TryRegisterSerializer(new GuidSerializer(GuidRepresentation.Standard));
    });

    /// <summary>Registers the client for <c>ConnectionStrings:{connectionName}</c>; the URL's path names the database.</summary>
    public static IHostApplicationBuilder AddMongoDBClient(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{connectionName} is not configured.");
        }

        var url = MongoUrl.Create(connectionString);
        var databaseName = string.IsNullOrEmpty(url.DatabaseName) ? connectionName : url.DatabaseName;
        ConfigureDriver();

        builder.Services.AddSingleton<IMongoClient>(_ => new MongoClient(MongoClientSettings.FromUrl(url)));
        builder.Services.AddSingleton(services => services.GetRequiredService<IMongoClient>().GetDatabase(databaseName));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            services => new MongoDatabaseHealthCheck(services.GetRequiredService<IMongoDatabase>()),
            HealthStatus.Unhealthy,
            tags: null,
            timeout: TimeSpan.FromSeconds(5)));
        builder.Services.AddHostedService<DatabaseIndexInitializer>();
        return builder;
    }
}

/// <summary>Healthy when the database answers <c>ping</c>.</summary>
public sealed class MongoDatabaseHealthCheck(IMongoDatabase database) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("MongoDB did not answer ping.", ex);
        }
    }
}
