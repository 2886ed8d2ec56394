using SkiaSharp;

namespace WearIt.Tests.Support;

/// <summary>
/// The real photos the engine tests use, never committed: scikit-image's astronaut.png (NASA, public domain; frontal,
/// upper body) from Debian's python3-skimage, and OpenCV's messi5.jpg (full body, a crowd behind) and basketball1.png
/// (two people) from Debian's opencv-doc. `.ci/run` puts them in .ci/.tools and names the astronaut in
/// <c>WEARIT_TEST_PHOTO</c>. Also photos composed from them: mirrored, cropped, side by side.
/// </summary>
public static class TestPhotos
{
    public const string Variable = "WEARIT_TEST_PHOTO";

    /// <summary>The astronaut photo's bytes, or the calling test is skipped saying how to get it (fails in CI).</summary>
    public static byte[] AstronautOrSkip()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        return File.ReadAllBytes(string.IsNullOrWhiteSpace(path) ? FetchedOrSkip("astronaut.png", "python3-skimage") : path);
    }

    /// <summary>Messi kicking a ball: a full-body photo with a blurred crowd behind.</summary>
    public static byte[] MessiOrSkip() => File.ReadAllBytes(FetchedOrSkip("messi5.jpg", "opencv-doc"));

    /// <summary>Two men playing with a ball, grayscale: one faces the camera, the other is turned away.</summary>
    public static byte[] BasketballOrSkip() => File.ReadAllBytes(FetchedOrSkip("basketball1.png", "opencv-doc"));

    /// <summary>The photo flipped left to right.</summary>
    public static byte[] Mirrored(byte[] photo) => Compose(photo, (canvas, bitmap) =>
    {
        canvas.Scale(-1, 1, bitmap.Width / 2f, 0);
        canvas.DrawBitmap(bitmap, 0, 0);
    });

    /// <summary>The photo cut to a rectangle.</summary>
    public static byte[] Cropped(byte[] photo, SKRectI area)
    {
        using var bitmap = SKBitmap.Decode(photo);
        using var part = new SKBitmap(area.Width, area.Height);
        bitmap.ExtractSubset(part, area);
        using var copy = part.Copy();
        using var image = SKImage.FromBitmap(copy);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>The photo twice, side by side.</summary>
    public static byte[] Twice(byte[] photo)
    {
        using var bitmap = SKBitmap.Decode(photo);
        using var pair = new SKBitmap(bitmap.Width * 2, bitmap.Height);
        using (var canvas = new SKCanvas(pair))
        {
            canvas.DrawBitmap(bitmap, 0, 0);
            canvas.DrawBitmap(bitmap, bitmap.Width, 0);
        }

        using var image = SKImage.FromBitmap(pair);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static byte[] Compose(byte[] photo, Action<SKCanvas, SKBitmap> draw)
    {
        using var bitmap = SKBitmap.Decode(photo);
        using var result = new SKBitmap(bitmap.Width, bitmap.Height);
        using (var canvas = new SKCanvas(result))
        {
            draw(canvas, bitmap);
        }

        using var image = SKImage.FromBitmap(result);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static string FetchedOrSkip(string name, string package)
    {
        var path = Path.Combine(RepositoryRoot.Path, ".ci", ".tools", name);
        var missing = $".ci/.tools/{name} is missing; `bash .ci/run` takes it from Debian's {package} package.";
        // In CI a missing photo is a broken setup, not a reason to skip: the tests that need it would pass by not running.
        Assert.False(!File.Exists(path) && Environment.GetEnvironmentVariable("CI") == "true", missing);
        Assert.SkipWhen(!File.Exists(path), missing);
        return path;
    }
}
