using SkiaSharp;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ServiceDefaults.Imaging;

/// <summary>What an image may be: bytes, pixels (declared, so a decompression bomb is never decoded) and shortest side.</summary>
public sealed record ImageLimits(long MaxBytes, long MaxPixels, int MinSide)
{
    /// <summary>The limits of an upload (ApiService's defaults), which a hosted provider's result must meet too.</summary>
    public static ImageLimits Uploads { get; } = new(15 * 1024 * 1024, 40_000_000, 256);
}

/// <summary>
/// Checks image bytes before anything trusts them, in order: size, real format from the bytes, declared dimensions,
/// then a full decode (so a corrupt or truncated file is refused), EXIF orientation applied. Throws a
/// <see cref="DomainException"/> with a stable code saying why not.
/// </summary>
public static class ImageCheck
{
    /// <summary>
    /// The upright, fully decoded image (at <paramref name="atLeastLongSide"/> or a little more where the format can
    /// decode smaller, see <see cref="Pixels.DecodeUpright"/>); the caller disposes it.
    /// </summary>
    public static SKBitmap DecodeChecked(byte[] bytes, ImageLimits limits, int? atLeastLongSide = null)
    {
        if (bytes.LongLength > limits.MaxBytes)
        {
            throw new DomainException(ErrorKind.PayloadTooLarge, "payload_too_large", $"Images are limited to {limits.MaxBytes / (1024 * 1024)} MiB.");
        }

        if (ImageFormatSniffer.Sniff(bytes) is null)
        {
            throw new DomainException(ErrorKind.UnsupportedMediaType, "image_unsupported_type", "Only JPEG, PNG and WebP images are accepted.");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw Invalid();
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > limits.MaxPixels)
        {
            throw new DomainException(ErrorKind.Validation, "image_too_many_pixels",
                $"The image declares {width}x{height} pixels; at most {limits.MaxPixels:N0} pixels are accepted.");
        }

        if (Math.Min(width, height) < limits.MinSide)
        {
            throw new DomainException(ErrorKind.Validation, "image_too_small", $"Images must be at least {limits.MinSide} pixels on each side.");
        }

        return Pixels.DecodeUpright(codec, atLeastLongSide) ?? throw Invalid();
    }

    private static DomainException Invalid() =>
        new(ErrorKind.Validation, "image_invalid", "The image is corrupt or truncated and cannot be read.");
}
