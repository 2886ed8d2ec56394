using Amazon.Runtime;
using Amazon.S3;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>Registers the <see cref="IObjectStore"/> that <c>WearIt:Storage:Provider</c> names, its start-up and its readiness check.</summary>
public static class ObjectStoreRegistration
{
    /// <summary>The readiness check's name.</summary>
    public const string HealthCheckName = "object-store";

    /// <summary>Adds the S3 or filesystem object store.</summary>
    public static IHostApplicationBuilder AddWearItObjectStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObjectStoreOptions>().Bind(builder.Configuration.GetSection(ObjectStoreOptions.SectionName));
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<IObjectStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<ObjectStoreOptions>>().Value;
            return options.Provider switch
            {
                ObjectStoreProvider.S3 => CreateS3Store(options, builder.Configuration),
                ObjectStoreProvider.FileSystem => CreateFileSystemStore(options, builder.Configuration, services),
                _ => throw new InvalidOperationException($"{ObjectStoreOptions.SectionName}:Provider '{options.Provider}' is not supported."),
            };
        });
        builder.Services.AddHostedService<ObjectStoreInitializer>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            HealthCheckName,
            services => new ObjectStoreHealthCheck(services.GetRequiredService<IObjectStore>()),
            HealthStatus.Unhealthy,
            tags: null,
            timeout: TimeSpan.FromSeconds(5)));
        return builder;
    }

    /// <summary>
    /// An S3 client for the configured endpoint. Credentials and region come from the SDK's usual sources
    /// (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_REGION</c>, profiles, instance roles).
    /// </summary>
    private static S3ObjectStore CreateS3Store(ObjectStoreOptions options, IConfiguration configuration)
    {
        var serviceUrl = options.ServiceUrl ?? configuration["AWS_ENDPOINT_URL_S3"];
        var config = new AmazonS3Config();
        if (!string.IsNullOrWhiteSpace(serviceUrl))
        {
            // A local S3 (LocalStack, fauxqs) cannot resolve bucket.host names; address buckets by path.
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = configuration["AWS_REGION"] ?? "us-east-1";
        }

        return new S3ObjectStore(new AmazonS3Client(config), options.Bucket);
    }

    private static FileSystemObjectStore CreateFileSystemStore(ObjectStoreOptions options, IConfiguration configuration, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            throw new InvalidOperationException($"{ObjectStoreOptions.SectionName}:RootPath is not configured.");
        }

        var signingKey = !string.IsNullOrEmpty(options.UrlSigningKey)
            ? System.Text.Encoding.UTF8.GetBytes(options.UrlSigningKey)
            : ObjectUrlSigner.DeriveKey(configuration["Jwt:ServiceSigningKey"]
                ?? throw new InvalidOperationException("Neither WearIt:Storage:UrlSigningKey nor Jwt:ServiceSigningKey is configured."));
        var signer = new ObjectUrlSigner(signingKey, TimeProvider.System);
        var accessor = services.GetRequiredService<IHttpContextAccessor>();
        Uri? configuredBase = string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? null : new Uri(options.PublicBaseUrl.TrimEnd('/') + "/");

        return new FileSystemObjectStore(options.RootPath, signer, () =>
            configuredBase
            ?? (accessor.HttpContext?.Request is { } request
                ? new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/")
                : throw new InvalidOperationException(
                    $"A signed URL was requested outside a request and {ObjectStoreOptions.SectionName}:PublicBaseUrl is not set.")));
    }
}

/// <summary>Creates the bucket or folder when the service starts.</summary>
internal sealed class ObjectStoreInitializer(IObjectStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.EnsureReadyAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Healthy when the bucket or folder can be reached.</summary>
public sealed class ObjectStoreHealthCheck(IObjectStore store) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckReachableAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or IOException or InvalidOperationException or HttpRequestException)
        {
            return HealthCheckResult.Unhealthy("The object store cannot be reached.", ex);
        }
    }
}
