using SkiaSharp;
using WearIt.ServiceDefaults.Imaging;

namespace WearIt.TryonService.Engine;

/// <summary>
/// The CPU try-on: find the one face (BlazeFace), estimate the body lines from it, cut the garments out, stretch each
/// onto its body region and composite it over the photo. Only the garment regions (below the chin) are drawn into,
/// so every other pixel is exactly the photo's; the same inputs and seed give the same bytes.
/// </summary>
public sealed class OverlayTryonEngine(BlazeFaceDetector detector) : ITryonEngine
{
    public const int FastLongSide = 768;
    public const int QualityLongSide = 1536;
    private const int PreviewLongSide = 256;

    public Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken) =>
        Task.Run(() => Run(request, progress, cancellationToken), cancellationToken);

    private TryonResult Run(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new TryonProgress("validating", 5, null));
        CheckCombination(request.Garments);
        using var photo = DecodeUpright(request.BodyPhoto, request.Mode == TryonMode.Fast ? FastLongSide : QualityLongSide, "body_image_invalid");
        var cutouts = request.Garments.Select(garment => (garment.ClothType, Image: CutOut(garment))).ToList();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Report(new TryonProgress("detecting", 20, Preview(photo)));
            var faces = detector.Detect(photo);
            var face = faces.Count switch
            {
                0 => throw new TryonFailedException("no_person_detected", "No person could be found in the photo."),
                1 => faces[0],
                _ => throw new TryonFailedException("multiple_people", $"The photo shows {faces.Count} people; use a photo of just you."),
            };

            cancellationToken.ThrowIfCancellationRequested();
            var body = BodyGeometry.FromFace(face);
            var random = new Random(request.Seed);
            var placements = cutouts
                .OrderBy(cutout => DrawOrder(cutout.ClothType))
                .Select(cutout => (cutout.Image, Target: Jitter(body.TargetFor(cutout.ClothType), body.HeadUnit, random)))
                .ToList();
            progress.Report(new TryonProgress("fitting", 45, null));

            cancellationToken.ThrowIfCancellationRequested();
            using var result = photo.Copy();
            var regions = new List<SKRectI>();
            using (var canvas = new SKCanvas(result))
            {
                // Nothing is ever drawn above the chin: the face stays the photo's own.
                var drawable = SKRectI.Intersect(new SKRectI(0, (int)Math.Ceiling(body.ChinY), photo.Width, photo.Height), new SKRectI(0, 0, photo.Width, photo.Height));
                foreach (var (image, target) in placements)
                {
                    var region = SKRectI.Intersect(SKRectI.Round(target), drawable);
                    if (region.IsEmpty)
                    {
                        continue;
                    }

                    regions.Add(region);
                    canvas.Save();
                    canvas.ClipRect(region);
                    using var garmentImage = SKImage.FromBitmap(image);
                    canvas.DrawImage(garmentImage, target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
                    canvas.Restore();
                }
            }

            if (regions.Count == 0)
            {
                throw new TryonFailedException("person_not_fully_visible", "The body is outside the photo; use a photo that shows your upper body.");
            }

            progress.Report(new TryonProgress("compositing", 80, Preview(result)));
            using var encodedImage = SKImage.FromBitmap(result);
            using var png = encodedImage.Encode(SKEncodedImageFormat.Png, 100);
            progress.Report(new TryonProgress("done", 100, null));
            return new TryonResult(png.ToArray(), "image/png", result.Width, result.Height, regions);
        }
        finally
        {
            foreach (var (_, image) in cutouts)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>One upper, one lower, one upper and one lower, or one dress.</summary>
    public static void CheckCombination(IReadOnlyList<GarmentInput> garments)
    {
        var types = garments.Select(garment => garment.ClothType).Order().ToList();
        var valid = types switch
        {
            ["upper"] or ["lower"] or ["dress"] or ["lower", "upper"] => true,
            _ => false,
        };
        if (!valid)
        {
            throw new TryonFailedException("garment_combination_invalid", "Try on one top, one bottom, a top and a bottom, or one dress.");
        }
    }

    private static int DrawOrder(string clothType) => clothType switch { "lower" => 0, "dress" => 1, _ => 2 };

    /// <summary>A small, seed-chosen variation in scale and height, so "try again" gives a different fit.</summary>
    private static SKRect Jitter(SKRect target, float unit, Random random)
    {
        var scale = 1f + ((float)(random.NextDouble() - 0.5) * 0.06f);
        var shift = (float)(random.NextDouble() - 0.5) * 0.1f * unit;
        var width = target.Width * scale;
        var height = target.Height * scale;
        return SKRect.Create(target.MidX - (width / 2), target.Top + shift, width, height);
    }

    private static SKBitmap CutOut(GarmentInput garment)
    {
        using var decoded = DecodeUpright(garment.Image, QualityLongSide, "garment_image_invalid");
        return GarmentCutout.Cut(decoded);
    }

    /// <summary>Decodes with the EXIF orientation applied (decoding alone ignores it) and caps the long side.</summary>
    private static SKBitmap DecodeUpright(byte[] bytes, int maxLongSide, string failureCode)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(bytes)) ?? throw new TryonFailedException(failureCode, "An image cannot be read.");
        using var upright = Pixels.DecodeUpright(codec) ?? throw new TryonFailedException(failureCode, "An image is corrupt.");
        return Pixels.ScaleDown(upright, maxLongSide);
    }

    private static byte[] Preview(SKBitmap bitmap)
    {
        var scale = (float)PreviewLongSide / Math.Max(bitmap.Width, bitmap.Height);
        using var small = bitmap.Resize(new SKImageInfo(Math.Max(1, (int)(bitmap.Width * scale)), Math.Max(1, (int)(bitmap.Height * scale))), new SKSamplingOptions(SKFilterMode.Linear));
        using var image = SKImage.FromBitmap(small);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 70);
        return jpeg.ToArray();
    }
}
