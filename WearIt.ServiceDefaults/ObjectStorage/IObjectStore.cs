namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>WearIt's object storage: one bucket of images addressed by keys such as <c>users/{id}/bodies/{id}/original.jpg</c>.</summary>
public interface IObjectStore
{
    /// <summary>Creates the bucket or root folder if it does not exist; safe to call repeatedly.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing any object already there.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Opens an object for reading, or returns null when there is none.</summary>
    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Describes an object without reading it, or returns null when there is none.</summary>
    Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/> and returns how many went.</summary>
    Task<int> DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Lists the objects whose key starts with <paramref name="prefix"/>, in key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>A URL that lets anyone holding it read the object until it expires.</summary>
    Task<Uri> GetSignedGetUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>A URL that lets anyone holding it upload the object, with this content type, until it expires.</summary>
    Task<Uri> GetSignedPutUrlAsync(string key, string contentType, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be reached; used by the readiness check.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken = default);
}

/// <summary>What the store knows about an object.</summary>
public sealed record ObjectInfo(string Key, long Size, string ContentType, DateTimeOffset LastModified);

/// <summary>An object opened for reading; dispose it to release the stream.</summary>
public sealed class StoredObject(ObjectInfo info, Stream content) : IAsyncDisposable, IDisposable
{
    /// <summary>The object's description.</summary>
    public ObjectInfo Info { get; } = info;

    /// <summary>The object's bytes.</summary>
    public Stream Content { get; } = content;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
