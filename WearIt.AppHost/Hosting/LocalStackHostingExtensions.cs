using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>
/// Adds LocalStack as WearIt's S3 in containers mode and hands its endpoint to services.
/// NOTE: Aspire.Hosting.AWS and the LocalStack integrations are not in the package mirror.
/// </summary>
public static class LocalStackHostingExtensions
{
    /// <summary>The LocalStack image.</summary>
    public const string Image = "localstack/localstack";

    /// <summary>A pinned 4.x release: <c>latest</c> now requires an auth token.</summary>
    public const string Tag = "4.14.0";

    /// <summary>LocalStack's edge port inside the container.</summary>
    public const int ContainerPort = 4566;

    /// <summary>The credentials LocalStack accepts; they are not secrets.</summary>
    public const string TestCredential = "test";

    /// <summary>Adds a LocalStack container that runs only S3 and reports health from <c>/_localstack/health</c>.</summary>
    public static IResourceBuilder<LocalStackResource> AddLocalStack(this IDistributedApplicationBuilder builder, string name, string bucketName) =>
        builder.AddResource(new LocalStackResource(name, bucketName))
            .WithImage(Image, Tag)
            .WithImageRegistry("docker.io")
            .WithHttpEndpoint(targetPort: ContainerPort, name: LocalStackResource.PrimaryEndpointName)
            .WithEnvironment("SERVICES", "s3")
            // LocalStack skips presigned-URL signature checks unless told otherwise; WearIt relies on them.
            .WithEnvironment("S3_SKIP_SIGNATURE_VALIDATION", "0")
            .WithHttpHealthCheck("/_localstack/health");

    /// <summary>Gives a service the S3 endpoint, region, test credentials and bucket, and waits for LocalStack.</summary>
    public static IResourceBuilder<T> WithS3Storage<T>(this IResourceBuilder<T> service, IResourceBuilder<LocalStackResource> s3)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport =>
        // A relationship, not a reference: a reference would also inject ConnectionStrings__s3, which nothing reads.
        service.WithReferenceRelationship(s3)
            .WaitFor(s3)
            .WithEnvironment("WearIt__Storage__Provider", "s3")
            .WithEnvironment("WearIt__Storage__Bucket", s3.Resource.BucketName)
            .WithEnvironment("AWS_ENDPOINT_URL_S3", s3.Resource.PrimaryEndpoint)
            .WithEnvironment("AWS_REGION", s3.Resource.Region)
            .WithEnvironment("AWS_ACCESS_KEY_ID", TestCredential)
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", TestCredential);
}
