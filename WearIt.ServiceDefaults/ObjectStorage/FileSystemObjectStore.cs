using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>
/// The object store on a local folder (embedded mode). Objects live under <c>data/</c>, their content types under
/// <c>meta/</c>; writes go through <c>tmp/</c> and a rename, so a reader never sees half an object. Signed URLs point
/// at <see cref="SignedObjectEndpoints"/> on the owning service.
/// </summary>
public sealed class FileSystemObjectStore : IObjectStore
{
    /// <summary>The path signed URLs are served under.</summary>
    public const string UrlPathPrefix = "/storage/";

    private readonly string _dataRoot;
    private readonly string _metaRoot;
    private readonly string _tempRoot;
    private readonly ObjectUrlSigner _signer;
    private readonly Func<Uri> _publicBaseUrl;

    /// <summary>Creates a store in <paramref name="rootPath"/>; signed URLs start with what <paramref name="publicBaseUrl"/> returns.</summary>
    public FileSystemObjectStore(string rootPath, ObjectUrlSigner signer, Func<Uri> publicBaseUrl)
    {
        var root = Path.GetFullPath(rootPath);
        _dataRoot = Path.Combine(root, "data") + Path.DirectorySeparatorChar;
        _metaRoot = Path.Combine(root, "meta") + Path.DirectorySeparatorChar;
        _tempRoot = Path.Combine(root, "tmp");
        _signer = signer;
        _publicBaseUrl = publicBaseUrl;
    }

    /// <summary>The signer that also checks this store's URLs when they come back.</summary>
    public ObjectUrlSigner Signer => _signer;

    /// <inheritdoc />
    public Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_dataRoot);
        Directory.CreateDirectory(_metaRoot);
        Directory.CreateDirectory(_tempRoot);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var dataPath = DataPath(key);
        var metaPath = MetaPath(key);
        await EnsureReadyAsync(cancellationToken);

        var tempData = Path.Combine(_tempRoot, Guid.NewGuid().ToString("N"));
        var tempMeta = tempData + ".json";
        try
        {
            await using (var file = new FileStream(tempData, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            await File.WriteAllBytesAsync(tempMeta, JsonSerializer.SerializeToUtf8Bytes(new ObjectMetadata(contentType)), cancellationToken);
            Directory.CreateDirectory(Path.GetDirectoryName(dataPath)!);
            Directory.CreateDirectory(Path.GetDirectoryName(metaPath)!);
            File.Move(tempMeta, metaPath, overwrite: true);
            File.Move(tempData, dataPath, overwrite: true);
        }
        finally
        {
            File.Delete(tempData);
            File.Delete(tempMeta);
        }
    }

    /// <inheritdoc />
    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = await HeadAsync(key, cancellationToken);
        if (info is null)
        {
            return null;
        }

        try
        {
            var stream = new FileStream(DataPath(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            return new StoredObject(info with { Size = stream.Length }, stream);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ObjectInfo?> HeadAsync(string key, CancellationToken cancellationToken = default)
    {
        var data = new FileInfo(DataPath(key));
        if (!data.Exists)
        {
            return null;
        }

        return new ObjectInfo(key, data.Length, await ReadContentTypeAsync(key, cancellationToken), new DateTimeOffset(data.LastWriteTimeUtc, TimeSpan.Zero));
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var dataPath = DataPath(key);
        var metaPath = MetaPath(key);
        DeleteIfPresent(dataPath);
        DeleteIfPresent(metaPath);
        RemoveEmptyParents(dataPath, _dataRoot);
        RemoveEmptyParents(metaPath, _metaRoot);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> DeleteByPrefixAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var info in ListAsync(prefix, cancellationToken))
        {
            keys.Add(info.Key);
        }

        foreach (var key in keys)
        {
            await DeleteAsync(key, cancellationToken);
        }

        return keys.Count;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKey.ValidatePrefix(prefix);
        var lastSlash = prefix.LastIndexOf('/');
        var directory = lastSlash < 0 ? _dataRoot : Path.Combine(_dataRoot, prefix[..lastSlash]);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        var keys = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(_dataRoot, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var key in keys)
        {
            if (await HeadAsync(key, cancellationToken) is { } info)
            {
                yield return info;
            }
        }
    }

    /// <inheritdoc />
    public Task<Uri> GetSignedGetUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        Task.FromResult(SignedUrl("GET", key, contentType: null, lifetime));

    /// <inheritdoc />
    public Task<Uri> GetSignedPutUrlAsync(string key, string contentType, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        Task.FromResult(SignedUrl("PUT", key, contentType, lifetime));

    /// <inheritdoc />
    public Task CheckReachableAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_dataRoot))
        {
            throw new DirectoryNotFoundException($"The object store folder '{_dataRoot}' does not exist.");
        }

        return Task.CompletedTask;
    }

    /// <summary>A signed GET URL under <paramref name="publicBase"/> (an address someone outside can reach, as a hosted try-on provider).</summary>
    public Uri GetSignedGetUrl(string key, TimeSpan lifetime, Uri publicBase) => SignedUrl("GET", key, contentType: null, lifetime, publicBase);

    private Uri SignedUrl(string method, string key, string? contentType, TimeSpan lifetime, Uri? publicBase = null)
    {
        ObjectKey.Validate(key);
        var expires = _signer.ExpiryFor(lifetime);
        var signature = _signer.Sign(method, key, expires, contentType);
        var relative = string.Create(CultureInfo.InvariantCulture,
            $"{UrlPathPrefix.TrimStart('/')}{key}?expires={expires}&signature={signature}");
        return new Uri(publicBase ?? _publicBaseUrl(), relative);
    }

    private string DataPath(string key) => ContainedPath(_dataRoot, ObjectKey.Validate(key));

    private string MetaPath(string key) => ContainedPath(_metaRoot, ObjectKey.Validate(key)) + ".json";

    /// <summary>Joins a validated key to a root and proves the result stays inside it (defence in depth).</summary>
    private static string ContainedPath(string root, string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar)));
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' leaves the object store folder.", nameof(key));
        }

        return path;
    }

    private async Task<string> ReadContentTypeAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var meta = File.OpenRead(MetaPath(key));
            var metadata = await JsonSerializer.DeserializeAsync<ObjectMetadata>(meta, cancellationToken: cancellationToken);
            return metadata?.ContentType ?? "application/octet-stream";
        }
        catch (FileNotFoundException)
        {
            return "application/octet-stream";
        }
    }

    /// <summary>Deletes a file; a file or folder that is already gone is the outcome asked for.</summary>
    private static void DeleteIfPresent(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // The folder is gone, so the file is too: exactly what a delete asks for.
        }
    }

    private static void RemoveEmptyParents(string path, string root)
    {
        var directory = Path.GetDirectoryName(path);
        while (directory is not null && directory.Length > root.Length && Directory.Exists(directory)
               && !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                // A concurrent write just put something in it; leaving the folder is correct.
                return;
            }

            directory = Path.GetDirectoryName(directory);
        }
    }

    private sealed record ObjectMetadata(string ContentType);
}
