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
public sealed class ImageIntake(IOptions<ImageIntakeOptions> options, ImageDecodeGate gate)
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
        using (await gate.EnterAsync(cancellationToken))
        {
            return Prepare(buffer.ToArray());
        }
    }

    /// <summary>Prepares image bytes already in memory (seeding, tests).</summary>
    public PreparedImage Prepare(byte[] bytes)
    {
        // Decoded no larger than what is kept (a JPEG or WebP decodes smaller at once; a PNG still at full size, which the
        // decode gate bounds).
        using var oriented = ImageCheck.DecodeChecked(bytes, new ImageLimits(Options.MaxUploadBytes, Options.MaxPixels, Options.MinSide), Options.MaxLongSide);
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

    private DomainException TooLarge() =>
        new(ErrorKind.PayloadTooLarge, "payload_too_large", $"Images are limited to {Options.MaxUploadBytes / (1024 * 1024)} MiB.");
}
