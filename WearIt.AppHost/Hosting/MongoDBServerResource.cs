namespace Aspire.Hosting.ApplicationModel;

/// <summary>A MongoDB server container with a root user.</summary>
public sealed class MongoDBServerResource(string name, ParameterResource password)
    : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of the endpoint clients connect to.</summary>
    public const string PrimaryEndpointName = "tcp";

    /// <summary>The root user created when the data volume is first initialised.</summary>
    public const string RootUserName = "root";

    private EndpointReference? _primaryEndpoint;

    /// <summary>The endpoint clients connect to.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The root user's password.</summary>
    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The databases declared on this server, by resource name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.Ordinal);

    /// <summary>The server connection string, authenticating the root user against <c>admin</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => BuildConnectionString(databaseName: null);

    /// <summary>A connection string for one database on this server.</summary>
    internal ReferenceExpression BuildConnectionString(string? databaseName) => ReferenceExpression.Create(
        $"mongodb://{RootUserName}:{PasswordParameter}@{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}/{databaseName ?? string.Empty}?authSource=admin&authMechanism=SCRAM-SHA-256");
}
