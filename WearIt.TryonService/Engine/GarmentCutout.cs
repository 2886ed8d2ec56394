using SkiaSharp;
using WearIt.ServiceDefaults.Imaging;

namespace WearIt.TryonService.Engine;

/// <summary>
/// Turns a garment image into a cut-out: an image with transparency is used as it is; a photo has its background
/// removed by flooding from the border over pixels close to the border's typical colour. The result is cropped to
/// the garment's opaque area.
/// </summary>
public static class GarmentCutout
{
    private const int BackgroundTolerance = 48;

    public static SKBitmap Cut(SKBitmap garment)
    {
        using var working = garment.Copy(SKColorType.Rgba8888) ?? throw new TryonFailedException("garment_invalid", "The garment image cannot be read.");
        if (!Pixels.HasTransparency(working))
        {
            RemoveBackground(working);
        }

        var bounds = OpaqueBounds(working);
        if (bounds.IsEmpty)
        {
            throw new TryonFailedException("garment_not_found", "No garment could be separated from the background of this image.");
        }

        var cropped = new SKBitmap(new SKImageInfo(bounds.Width, bounds.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        working.ExtractSubset(cropped, bounds);
        return cropped.Copy();
    }

    /// <summary>Flood fill from every border pixel over pixels near the border's median colour, making them transparent.</summary>
    private static void RemoveBackground(SKBitmap bitmap)
    {
        var (width, height) = (bitmap.Width, bitmap.Height);
        var pixels = bitmap.Pixels;
        var border = Enumerable.Range(0, width).SelectMany(x => new[] { pixels[x], pixels[((height - 1) * width) + x] })
            .Concat(Enumerable.Range(0, height).SelectMany(y => new[] { pixels[y * width], pixels[(y * width) + width - 1] }))
            .ToList();
        var background = new SKColor(Median(border, c => c.Red), Median(border, c => c.Green), Median(border, c => c.Blue));

        var visited = new bool[pixels.Length];
        var queue = new Queue<int>();
        for (var x = 0; x < width; x++)
        {
            queue.Enqueue(x);
            queue.Enqueue(((height - 1) * width) + x);
        }

        for (var y = 0; y < height; y++)
        {
            queue.Enqueue(y * width);
            queue.Enqueue((y * width) + width - 1);
        }

        while (queue.Count > 0)
        {
            var index = queue.Dequeue();
            if (visited[index] || Distance(pixels[index], background) > BackgroundTolerance)
            {
                continue;
            }

            visited[index] = true;
            pixels[index] = SKColors.Transparent;
            var (x, y) = (index % width, index / width);
            if (x > 0) queue.Enqueue(index - 1);
            if (x < width - 1) queue.Enqueue(index + 1);
            if (y > 0) queue.Enqueue(index - width);
            if (y < height - 1) queue.Enqueue(index + width);
        }

        bitmap.Pixels = pixels;
    }

    private static SKRectI OpaqueBounds(SKBitmap bitmap)
    {
        int left = bitmap.Width, top = bitmap.Height, right = -1, bottom = -1;
        var pixels = bitmap.Pixels;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                if (pixels[(y * bitmap.Width) + x].Alpha > 16)
                {
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                }
            }
        }

        return right < 0 ? SKRectI.Empty : new SKRectI(left, top, right + 1, bottom + 1);
    }

    private static int Distance(SKColor a, SKColor b) =>
        Math.Max(Math.Abs(a.Red - b.Red), Math.Max(Math.Abs(a.Green - b.Green), Math.Abs(a.Blue - b.Blue)));

    private static byte Median(List<SKColor> colors, Func<SKColor, byte> channel)
    {
        var values = colors.Select(channel).Order().ToList();
        return values[values.Count / 2];
    }
}
