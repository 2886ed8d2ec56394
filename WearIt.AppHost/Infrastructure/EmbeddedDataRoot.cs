namespace WearIt.AppHost.Infrastructure;

/// <summary>The folder that holds embedded mode's databases, objects and mail.</summary>
public static class EmbeddedDataRoot
{
    /// <summary>The configuration key that moves the data root.</summary>
    public const string ConfigurationKey = "WearIt:DataRoot";

    /// <summary>Returns the absolute data root: <c>WearIt:DataRoot</c>, or <c>.wearit/</c> beside the solution.</summary>
    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.AppHostDirectory, "..", ".wearit")
            : Path.Combine(builder.AppHostDirectory, configured);
        return Path.GetFullPath(root);
    }
}
