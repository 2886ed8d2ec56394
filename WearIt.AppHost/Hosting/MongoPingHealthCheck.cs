using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace WearIt.AppHost.Hosting;

/// <summary>Healthy when the MongoDB server answers a <c>ping</c> command.</summary>
public sealed class MongoPingHealthCheck(Func<string?> connectionString) : IHealthCheck
{
    private MongoClient? _client;

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var value = connectionString();
        if (value is null)
        {
            return HealthCheckResult.Unhealthy("The connection string is not available yet.");
        }

        try
        {
            var settings = MongoClientSettings.FromConnectionString(value);
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(3);
            _client ??= new MongoClient(settings);
            await _client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("MongoDB did not answer ping.", ex);
        }
    }
}
