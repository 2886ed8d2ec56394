using SkiaSharp;

namespace WearIt.ServiceDefaults.Imaging;

/// <summary>Decoding, scaling and inspecting pixels the same way in the upload intake and the try-on engine.</summary>
public static class Pixels
{
    /// <summary>
    /// Decodes every pixel (RGBA, premultiplied) and turns them the way the EXIF orientation says; null when the
    /// data is corrupt or truncated (anything short of a complete decode). With <paramref name="atLeastLongSide"/>, a
    /// format the codec can decode smaller (JPEG, WebP) is decoded at the smallest size it offers that is still at least
    /// that long, so a huge photo never takes its full size in memory; other formats decode at full size.
    /// </summary>
    public static SKBitmap? DecodeUpright(SKCodec codec, int? atLeastLongSide = null)
    {
        var size = codec.Info.Size;
        var longSide = Math.Max(size.Width, size.Height);
        if (atLeastLongSide is { } wanted && longSide > wanted)
        {
            var scaled = codec.GetScaledDimensions((float)wanted / longSide);
            if (Math.Max(scaled.Width, scaled.Height) >= wanted && scaled.Width * (long)scaled.Height < size.Width * (long)size.Height)
            {
                size = scaled;
            }
        }

        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var decoded = new SKBitmap(info);
        return codec.GetPixels(info, decoded.GetPixels()) == SKCodecResult.Success
            ? Orientation.Apply(decoded, codec.EncodedOrigin)
            : null;
    }

    /// <summary>A copy no longer than <paramref name="maxLongSide"/> on its long side (never enlarged).</summary>
    public static SKBitmap ScaleDown(SKBitmap source, int maxLongSide)
    {
        var longSide = Math.Max(source.Width, source.Height);
        if (longSide <= maxLongSide)
        {
            return source.Copy();
        }

        var scale = (double)maxLongSide / longSide;
        var info = new SKImageInfo(Math.Max(1, (int)Math.Round(source.Width * scale)), Math.Max(1, (int)Math.Round(source.Height * scale)), source.ColorType, source.AlphaType);
        return source.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell));
    }

    /// <summary>Whether any pixel is not fully opaque.</summary>
    public static bool HasTransparency(SKBitmap bitmap)
    {
        foreach (var pixel in bitmap.Pixels)
        {
            if (pixel.Alpha < 255)
            {
                return true;
            }
        }

        return false;
    }
}
