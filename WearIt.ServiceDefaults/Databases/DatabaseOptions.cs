namespace WearIt.ServiceDefaults.Databases;

/// <summary>The document database a service keeps its data in.</summary>
public enum DatabaseProvider
{
    /// <summary>A MongoDB server (containers mode and production).</summary>
    MongoDB,

    /// <summary>A LiteDB file (embedded mode).</summary>
    LiteDB,
}

/// <summary>The <c>WearIt:Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "WearIt:Database";

    /// <summary>Which database backend to use.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.LiteDB;

    /// <summary>The name under <c>ConnectionStrings</c> that holds the connection string.</summary>
    public string ConnectionStringName { get; set; } = "";
}
