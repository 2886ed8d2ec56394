using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WearIt.AppHost.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Adds a MongoDB server and its databases to the app model.
/// NOTE: Aspire.Hosting.MongoDB is not in the package mirror; this is the small equivalent WearIt needs.
/// </summary>
public static class MongoDBHostingExtensions
{
    /// <summary>The official image.</summary>
    public const string Image = "mongo";

    /// <summary>A pinned 8.0 patch release; bump deliberately, never float.</summary>
    public const string Tag = "8.0.13";

    /// <summary>The port MongoDB listens on inside the container.</summary>
    public const int ContainerPort = 27017;

    /// <summary>Adds a MongoDB server container with a generated root password and a ping health check.</summary>
    public static IResourceBuilder<MongoDBServerResource> AddMongoDB(this IDistributedApplicationBuilder builder, string name)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var server = new MongoDBServerResource(name, password);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, cancellationToken) =>
        {
            connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new DistributedApplicationException($"The connection string of '{name}' resolved to null.");
        });

        // One check instance for the app's lifetime, so its MongoClient (and connection pool) is reused.
        var healthCheck = new MongoPingHealthCheck(() => connectionString);
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            _ => healthCheck,
            failureStatus: HealthStatus.Unhealthy,
            tags: null));

        return builder.AddResource(server)
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithEndpoint(targetPort: ContainerPort, name: MongoDBServerResource.PrimaryEndpointName)
            .WithEnvironment("MONGO_INITDB_ROOT_USERNAME", MongoDBServerResource.RootUserName)
            .WithEnvironment(context => context.EnvironmentVariables["MONGO_INITDB_ROOT_PASSWORD"] = server.PasswordParameter)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Declares a database on the server; its connection string names the database.</summary>
    public static IResourceBuilder<MongoDBDatabaseResource> AddDatabase(
        this IResourceBuilder<MongoDBServerResource> server, string name, string? databaseName = null)
    {
        databaseName ??= name;
        server.Resource.Databases.Add(name, databaseName);
        return server.ApplicationBuilder.AddResource(new MongoDBDatabaseResource(name, databaseName, server.Resource));
    }

    /// <summary>Keeps the server's data in a named volume so it survives container restarts.</summary>
    public static IResourceBuilder<MongoDBServerResource> WithDataVolume(
        this IResourceBuilder<MongoDBServerResource> server, string volumeName) =>
        server.WithVolume(volumeName, "/data/db");
}
