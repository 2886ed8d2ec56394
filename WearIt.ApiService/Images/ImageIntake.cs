using Microsoft.Extensions.Options;
using SkiaSharp;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.Imaging;

namespace WearIt.ApiService.Images;

/// <summary>
/// Accepts or refuses an uploaded image. In order: size, real format from the bytes, declared dimensions (so a
/// decompression bomb is never decoded), a full decode (so a corrupt or truncated file is refused), the EXIF
/// orientation applied, then a re-encode that keeps no metadata at all (GPS included) at a bounded size, plus a
/// thumbnail. Opaque images become JPEG; images with transparency stay PNG.
/// </summary>
public sealed class ImageIntake(IOptions<ImageIntakeOptions> options)
{
    private const int JpegQuality = 90;

    private ImageIntakeOptions Options => options.Value;

    /// <summary>Reads an uploaded file and prepares it, or throws a <see cref="DomainException"/> saying why not.</summary>
    public async Task<PreparedImage> PrepareAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            throw DomainException.Validation(new Dictionary<string, string[]> { ["image"] = ["An image file is required."] });
        }

        if (file.Length > Options.MaxUploadBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return Prepare(buffer.ToArray());
    }

    /// <summary>Prepares image bytes already in memory (seeding, tests).</summary>
    public PreparedImage Prepare(byte[] bytes)
    {
        if (bytes.LongLength > Options.MaxUploadBytes)
        {
            throw TooLarge();
        }

        if (ImageFormatSniffer.Sniff(bytes) is null)
        {
            throw new DomainException(ErrorKind.UnsupportedMediaType, "image_unsupported_type", "Only JPEG, PNG and WebP images are accepted.");
        }

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw Invalid();
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > Options.MaxPixels)
        {
            throw new DomainException(ErrorKind.Validation, "image_too_many_pixels",
                $"The image declares {width}x{height} pixels; at most {Options.MaxPixels:N0} pixels are accepted.");
        }

        if (Math.Min(width, height) < Options.MinSide)
        {
            throw new DomainException(ErrorKind.Validation, "image_too_small", $"Images must be at least {Options.MinSide} pixels on each side.");
        }

        using var oriented = Pixels.DecodeUpright(codec) ?? throw Invalid();
        var hasAlpha = Pixels.HasTransparency(oriented);
        using var original = Pixels.ScaleDown(oriented, Options.MaxLongSide);
        using var thumbnail = Pixels.ScaleDown(oriented, Options.ThumbnailLongSide);
        var contentType = hasAlpha ? "image/png" : "image/jpeg";
        return new PreparedImage(Encode(original, hasAlpha), Encode(thumbnail, hasAlpha), contentType, original.Width, original.Height, hasAlpha);
    }

    private static byte[] Encode(SKBitmap bitmap, bool keepAlpha)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = keepAlpha ? image.Encode(SKEncodedImageFormat.Png, 100) : image.Encode(SKEncodedImageFormat.Jpeg, JpegQuality);
        return encoded.ToArray();
    }

    private static DomainException Invalid() =>
        new(ErrorKind.Validation, "image_invalid", "The image is corrupt or truncated and cannot be read.");

    private DomainException TooLarge() =>
        new(ErrorKind.PayloadTooLarge, "payload_too_large", $"Images are limited to {Options.MaxUploadBytes / (1024 * 1024)} MiB.");
}
