namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>Which backend holds the objects.</summary>
public enum ObjectStoreProvider
{
    /// <summary>An S3 bucket (LocalStack in containers mode, AWS in production).</summary>
    S3,

    /// <summary>A folder on the local disk (embedded mode).</summary>
    FileSystem,
}

/// <summary>The <c>WearIt:Storage</c> configuration section.</summary>
public sealed class ObjectStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "WearIt:Storage";

    /// <summary>Which backend holds the objects.</summary>
    public ObjectStoreProvider Provider { get; set; } = ObjectStoreProvider.FileSystem;

    /// <summary>The S3 bucket.</summary>
    public string Bucket { get; set; } = "wearit-storage";

    /// <summary>The S3 endpoint; when empty, <c>AWS_ENDPOINT_URL_S3</c>, and when that is empty too, AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The folder of the filesystem store.</summary>
    public string? RootPath { get; set; }

    /// <summary>
    /// The absolute URL clients reach this service at, for the filesystem store's signed URLs; when empty the
    /// current request's scheme and host are used.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The key that signs the filesystem store's URLs; when empty one is derived from <c>Jwt:ServiceSigningKey</c>.</summary>
    public string? UrlSigningKey { get; set; }
}
