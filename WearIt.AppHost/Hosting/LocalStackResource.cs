namespace Aspire.Hosting.ApplicationModel;

/// <summary>A LocalStack container serving S3; its connection string is the S3 endpoint URL.</summary>
public sealed class LocalStackResource(string name, string bucketName) : ContainerResource(name), IResourceWithConnectionString
{
    /// <summary>The name of LocalStack's edge endpoint.</summary>
    public const string PrimaryEndpointName = "http";

    private EndpointReference? _primaryEndpoint;

    /// <summary>LocalStack's edge endpoint.</summary>
    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    /// <summary>The bucket the services keep their objects in.</summary>
    public string BucketName { get; } = bucketName;

    /// <summary>The region services sign requests for.</summary>
    public string Region { get; } = "us-east-1";

    /// <summary>The S3 endpoint URL.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.Url)}");
}
