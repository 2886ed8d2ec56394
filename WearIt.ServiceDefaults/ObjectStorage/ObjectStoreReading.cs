namespace WearIt.ServiceDefaults.ObjectStorage;

/// <summary>Reading a whole stored object into memory (images the models work on are at most a few megabytes).</summary>
public static class ObjectStoreReading
{
    /// <summary>The object's bytes, or null when there is no object under the key.</summary>
    public static async Task<byte[]?> ReadAllBytesAsync(this IObjectStore objects, string key, CancellationToken cancellationToken = default)
    {
        await using var stored = await objects.GetAsync(key, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stored.Content.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
