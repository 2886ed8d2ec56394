using SkiaSharp;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.Imaging;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>Images on their way to and from a hosted provider.</summary>
public static class ProviderImages
{
    /// <summary>What an image handed to a provider may weigh: a <c>data:</c> URI of it stays well under request limits.</summary>
    public const int MaxInputBytes = 1024 * 1024;

    /// <summary>
    /// The image as a JPEG of at most <see cref="MaxInputBytes"/>: transparency flattened onto white (a garment cut-out
    /// on a plain background, as providers expect), quality lowered, then the size, until it fits.
    /// </summary>
    public static byte[] Jpeg(byte[] image)
    {
        using var decoded = SKBitmap.Decode(image) ?? throw new TryonFailedException("image_invalid", "An image of this try-on cannot be read.");
        using var flat = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(flat))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(decoded, 0, 0);
        }

        var current = flat;
        try
        {
            while (true)
            {
                foreach (var quality in new[] { 92, 85, 75 })
                {
                    using var encoded = current.Encode(SKEncodedImageFormat.Jpeg, quality);
                    if (encoded.Size <= MaxInputBytes)
                    {
                        return encoded.ToArray();
                    }
                }

                var scaled = current.Resize(new SKImageInfo(Math.Max(1, current.Width * 3 / 4), Math.Max(1, current.Height * 3 / 4)), new SKSamplingOptions(SKCubicResampler.Mitchell));
                if (!ReferenceEquals(current, flat))
                {
                    current.Dispose();
                }

                current = scaled;
            }
        }
        finally
        {
            if (!ReferenceEquals(current, flat))
            {
                current.Dispose();
            }
        }
    }

    /// <summary>
    /// Checks a downloaded result as an upload is checked (real image, size, pixel cap, a full decode); returns its
    /// size and content type. A result that fails is the provider's fault: <c>provider_failed</c>, worth another attempt.
    /// </summary>
    public static (int Width, int Height, string ContentType) CheckResult(byte[] image)
    {
        try
        {
            using var bitmap = ImageCheck.DecodeChecked(image, ImageLimits.Uploads);
            var contentType = ImageFormatSniffer.Sniff(image) switch
            {
                ImageFormat.Png => "image/png",
                ImageFormat.WebP => "image/webp",
                _ => "image/jpeg",
            };
            return (bitmap.Width, bitmap.Height, contentType);
        }
        catch (DomainException ex)
        {
            throw new TryonFailedException("provider_failed", $"The try-on provider returned an unusable image: {ex.Message}", retryable: true);
        }
    }
}
