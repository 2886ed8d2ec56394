namespace WearIt.ApiService.Images;

/// <summary>An accepted image, re-encoded without metadata: the bounded original and its thumbnail.</summary>
public sealed record PreparedImage(byte[] Original, byte[] Thumbnail, string ContentType, int Width, int Height, bool HasAlpha)
{
    /// <summary>The file extension that matches <see cref="ContentType"/>.</summary>
    public string Extension => ContentType == "image/png" ? "png" : "jpg";
}

/// <summary>An image as documents hold it: object keys, never URLs.</summary>
public sealed class StoredImage
{
    public string Key { get; set; } = "";

    public string ThumbnailKey { get; set; } = "";

    public string ContentType { get; set; } = "";

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>Whether the image has transparency (a cut-out garment).</summary>
    public bool HasAlpha { get; set; }
}

/// <summary>An image as clients see it: short-lived signed URLs.</summary>
public sealed record ImageResponse(Uri Url, Uri ThumbnailUrl, int Width, int Height, string ContentType);
