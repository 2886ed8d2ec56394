using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Wires WearIt's services to the infrastructure of the chosen mode.</summary>
public static class WearItServiceExtensions
{
    /// <summary>Gives the service (ApiService only) the user-token secret; issuer and audience come from its own settings.</summary>
    public static IResourceBuilder<ProjectResource> WithJwtSigningKey(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> signingKey) =>
        service.WithEnvironment("Jwt__SigningKey", signingKey);

    /// <summary>Gives the service the key of service tokens (and of signed storage URLs), shared by both services.</summary>
    public static IResourceBuilder<ProjectResource> WithServiceTokenKey(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<ParameterResource> serviceKey) =>
        service.WithEnvironment("Jwt__ServiceSigningKey", serviceKey);

    /// <summary>Links in mail (the one-click email verification) point at the service's own http endpoint, which serves the web app.</summary>
    public static IResourceBuilder<ProjectResource> WithMailLinksToItself(this IResourceBuilder<ProjectResource> service) =>
        service.WithEnvironment("WearIt__Mail__LinkBaseUrl", service.GetEndpoint("http"));

    /// <summary>Points the service's database at a MongoDB database resource.</summary>
    public static IResourceBuilder<ProjectResource> WithMongoDatabase(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<MongoDBDatabaseResource> database) =>
        service.WithReference(database)
            .WaitFor(database)
            .WithEnvironment("WearIt__Database__Provider", "mongodb")
            .WithEnvironment("WearIt__Database__ConnectionStringName", database.Resource.Name);

    /// <summary>
    /// Embedded mode: the service keeps its database in a LiteDB file, its objects in a folder and, when it
    /// sends mail, its messages as <c>.eml</c> files, all under the data root.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithEmbeddedInfrastructure(
        this IResourceBuilder<ProjectResource> service, string dataRoot, string databaseName, bool sendsMail = false)
    {
        var databaseFile = Path.Combine(dataRoot, "db", $"{databaseName}.db");
        // Direct mode: the file stays open and cached in the one process that owns it (each service has its own file,
        // and embedded mode runs one instance of each). What guards that: direct mode opens the file exclusively, so a
        // second process on it (another AppHost on the same data root) fails at start with "file in use" instead of
        // corrupting it. Several instances of a service need MongoDB (containers mode).
        service.WithEnvironment("WearIt__Database__Provider", "litedb")
            .WithEnvironment("WearIt__Database__ConnectionStringName", databaseName)
            .WithEnvironment($"ConnectionStrings__{databaseName}", $"Filename={databaseFile};Connection=direct")
            .WithEnvironment("WearIt__Storage__Provider", "filesystem")
            .WithEnvironment("WearIt__Storage__RootPath", Path.Combine(dataRoot, "objects"));
        if (sendsMail)
        {
            service.WithEnvironment("WearIt__Mail__Provider", "pickup")
                .WithEnvironment("WearIt__Mail__PickupDirectory", Path.Combine(dataRoot, "mail"));
        }

        return service;
    }
}
