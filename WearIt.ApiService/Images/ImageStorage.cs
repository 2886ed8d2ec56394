using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.ApiService.Images;

/// <summary>Writes a prepared image's original and thumbnail under a key prefix, and signs their URLs for responses.</summary>
public sealed class ImageStorage(IObjectStore objects, IOptions<ImageIntakeOptions> options)
{
    /// <summary>Stores both files; if the second write fails, the first is removed, so nothing is left half-stored.</summary>
    public async Task<StoredImage> StoreAsync(string prefix, PreparedImage image, CancellationToken cancellationToken)
    {
        var stored = new StoredImage
        {
            Key = $"{prefix}/original.{image.Extension}",
            ThumbnailKey = $"{prefix}/thumbnail.{image.Extension}",
            ContentType = image.ContentType,
            Width = image.Width,
            Height = image.Height,
            HasAlpha = image.HasAlpha,
        };
        try
        {
            await objects.PutAsync(stored.Key, new MemoryStream(image.Original, writable: false), image.ContentType, cancellationToken);
            await objects.PutAsync(stored.ThumbnailKey, new MemoryStream(image.Thumbnail, writable: false), image.ContentType, cancellationToken);
            return stored;
        }
        catch
        {
            await DeleteAsync(stored, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Stores the image, then runs <paramref name="record"/> (the checks and the database write that make it part of
    /// something). If that throws, even because the request was aborted, both files are removed again, so no object
    /// is ever left without the record that names it.
    /// </summary>
    public async Task<T> StoreThenRecordAsync<T>(string prefix, PreparedImage image, Func<StoredImage, Task<T>> record, CancellationToken cancellationToken)
    {
        var stored = await StoreAsync(prefix, image, cancellationToken);
        try
        {
            return await record(stored);
        }
        catch
        {
            await DeleteAsync(stored, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Deletes both files of an image.</summary>
    public async Task DeleteAsync(StoredImage image, CancellationToken cancellationToken)
    {
        await objects.DeleteAsync(image.Key, cancellationToken);
        await objects.DeleteAsync(image.ThumbnailKey, cancellationToken);
    }

    /// <summary>A signed URL of one stored file of the user's (a mask, say), as long-lived as the images'.</summary>
    public Task<Uri> SignedUrlAsync(string key, CancellationToken cancellationToken) =>
        objects.GetSignedGetUrlAsync(key, options.Value.UrlLifetime, cancellationToken);

    /// <summary>Signed, short-lived URLs of both files.</summary>
    public async Task<ImageResponse> ToResponseAsync(StoredImage image, CancellationToken cancellationToken)
    {
        var lifetime = options.Value.UrlLifetime;
        return new ImageResponse(
            await objects.GetSignedGetUrlAsync(image.Key, lifetime, cancellationToken),
            await objects.GetSignedGetUrlAsync(image.ThumbnailKey, lifetime, cancellationToken),
            image.Width,
            image.Height,
            image.ContentType);
    }
}
