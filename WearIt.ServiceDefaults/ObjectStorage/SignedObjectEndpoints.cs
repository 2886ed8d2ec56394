using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>Serves the filesystem store's signed URLs; with S3 the bucket serves them and nothing is mapped.</summary>
public static class SignedObjectEndpoints
{
    /// <summary>The largest body a signed PUT accepts.</summary>
    public const long MaxUploadBytes = 25 * 1024 * 1024;

    /// <summary>Maps <c>GET</c> and <c>PUT /storage/{key}</c> when the service uses the filesystem store.</summary>
    public static IEndpointRouteBuilder MapSignedObjectEndpoints(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<IObjectStore>() is not FileSystemObjectStore)
        {
            return app;
        }

        var group = app.MapGroup(FileSystemObjectStore.UrlPathPrefix.TrimEnd('/'))
            .WithTags("Storage")
            .ExcludeFromDescription();
        group.MapGet("/{**key}", GetObjectAsync).WithName("GetSignedObject");
        group.MapPut("/{**key}", PutObjectAsync).WithName("PutSignedObject")
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes));
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, NotFound>> GetObjectAsync(
        string key, long? expires, string? signature, IObjectStore store, CancellationToken cancellationToken)
    {
        var fileStore = (FileSystemObjectStore)store;
        EnsureSigned(fileStore, "GET", key, expires, signature, contentType: null);
        var stored = await fileStore.GetAsync(key, cancellationToken);
        if (stored is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Stream(stored.Content, stored.Info.ContentType, lastModified: stored.Info.LastModified);
    }

    private static async Task<NoContent> PutObjectAsync(
        string key, long? expires, string? signature, HttpRequest request, IObjectStore store, CancellationToken cancellationToken)
    {
        var fileStore = (FileSystemObjectStore)store;
        EnsureSigned(fileStore, "PUT", key, expires, signature, request.ContentType);
        if (request.ContentLength > MaxUploadBytes)
        {
            throw new DomainException(ErrorKind.PayloadTooLarge, "payload_too_large", $"Uploads are limited to {MaxUploadBytes} bytes.");
        }

        await fileStore.PutAsync(key, request.Body, request.ContentType!, cancellationToken);
        return TypedResults.NoContent();
    }

    private static void EnsureSigned(FileSystemObjectStore store, string method, string key, long? expires, string? signature, string? contentType)
    {
        if (!ObjectKey.IsValid(key) || expires is null || string.IsNullOrEmpty(signature)
            || !store.Signer.IsValid(method, key, expires.Value, contentType, signature))
        {
            throw new DomainException(ErrorKind.Forbidden, "signature_invalid", "The URL's signature is missing, wrong or expired.");
        }
    }
}
