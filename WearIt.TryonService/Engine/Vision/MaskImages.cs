using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>Masks as 8-bit grayscale PNGs (lossless, so a stored region is exactly the one computed).</summary>
public static class MaskImages
{
    public static byte[] Encode(byte[] mask, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(mask, 0, bitmap.GetPixels(), mask.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>The mask's bytes, row by row; throws <c>body_analysis_invalid</c> if the PNG is not one of the expected size.</summary>
    public static byte[] Decode(byte[] png, int width, int height)
    {
        using var decoded = SKBitmap.Decode(png);
        if (decoded is null || decoded.Width != width || decoded.Height != height)
        {
            throw new TryonFailedException("body_analysis_invalid", "The stored analysis of the photo is damaged.");
        }

        using var gray = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(gray))
        {
            canvas.DrawBitmap(decoded, 0, 0);
        }

        var bytes = new byte[width * height];
        System.Runtime.InteropServices.Marshal.Copy(gray.GetPixels(), bytes, 0, bytes.Length);
        return bytes;
    }
}
