namespace Aspire.Hosting.ApplicationModel;

/// <summary>A database on a <see cref="MongoDBServerResource"/>.</summary>
public sealed class MongoDBDatabaseResource(string name, string databaseName, MongoDBServerResource parent)
    : Resource(name), IResourceWithParent<MongoDBServerResource>, IResourceWithConnectionString
{
    /// <summary>The database name inside the server.</summary>
    public string DatabaseName { get; } = databaseName;

    /// <summary>The server that holds the database.</summary>
    public MongoDBServerResource Parent { get; } = parent;

    /// <summary>The server's connection string with this database as its path.</summary>
    public ReferenceExpression ConnectionStringExpression => Parent.BuildConnectionString(DatabaseName);
}
