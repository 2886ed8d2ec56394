namespace WearIt.ApiService.Images;

/// <summary>The <c>WearIt:Images</c> configuration section: what an uploaded image may be.</summary>
public sealed class ImageIntakeOptions
{
    public const string SectionName = "WearIt:Images";

    /// <summary>The largest upload accepted; larger is 413.</summary>
    public long MaxUploadBytes { get; set; } = 15 * 1024 * 1024;

    /// <summary>The most pixels an image may declare; more is refused before decoding (a decompression bomb).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>The shortest side an image may have.</summary>
    public int MinSide { get; set; } = 256;

    /// <summary>Stored originals are scaled down to at most this long side.</summary>
    public int MaxLongSide { get; set; } = 2048;

    /// <summary>Thumbnails have this long side.</summary>
    public int ThumbnailLongSide { get; set; } = 320;

    /// <summary>How many uploads are decoded at once (each can take a 40-megapixel image's 160 MB).</summary>
    public int MaxConcurrentDecodes { get; set; } = 2;

    /// <summary>How many uploads may wait for a decode; past that, 503 <c>busy</c>.</summary>
    public int MaxQueuedDecodes { get; set; } = 16;

    /// <summary>Uploads (photos, wardrobe items, product images) one user may send per minute; past it, 429 <c>rate_limited</c>.</summary>
    public int UploadsPerMinute { get; set; } = 30;

    /// <summary>How long signed image URLs in responses stay valid.</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);
}
