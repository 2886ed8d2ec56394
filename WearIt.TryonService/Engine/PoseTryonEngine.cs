using SkiaSharp;
using WearIt.TryonService.Engine.Fitting;
using WearIt.TryonService.Engine.Vision;
using WearIt.ServiceDefaults.Garments;

namespace WearIt.TryonService.Engine;

/// <summary>
/// The CPU try-on: analyse the person (face, mask, pose, view gate), read each garment's key points, warp each onto
/// the body (thin-plate spline torso, sleeves and legs along the limbs) and composite them with the photo's light.
/// Only pixels inside the dressed regions change, so the rest is exactly the photo's; the same inputs and seed give
/// the same bytes.
/// </summary>
public sealed class PoseTryonEngine(PersonAnalyzer analyzer, GarmentReader garmentReader) : ITryonEngine
{
    public const int FastLongSide = 768;
    public const int QualityLongSide = 1536;
    private const int PreviewLongSide = 256;

    public Task<TryonResult> RunAsync(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken) =>
        Task.Run(() => Run(request, progress, cancellationToken), cancellationToken);

    private TryonResult Run(TryonRequest request, IProgress<TryonProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new TryonProgress("validating", 5, null));
        Outfit.Check(request.Garments);
        using var photo = EngineImages.DecodeUpright(request.BodyPhoto, request.Mode == TryonMode.Fast ? FastLongSide : QualityLongSide, "body_image_invalid");

        cancellationToken.ThrowIfCancellationRequested();
        progress.Report(new TryonProgress("detecting", 20, EngineImages.Preview(photo, PreviewLongSide)));
        // A body is analysed once, at upload; only a photo that never was is analysed here.
        var person = request.Person?.Resized(photo.Width, photo.Height) ?? analyzer.Analyse(photo);
        VisibilityGate.Require(person, request.Garments.Select(garment => garment.ClothType));

        var garments = new List<GarmentAnalysis>();
        var layers = new List<FittedGarment>();
        try
        {
            foreach (var garment in request.Garments.OrderBy(garment => GarmentTaxonomy.DrawOrder(garment.ClothType)))
            {
                cancellationToken.ThrowIfCancellationRequested();
                garments.Add(garmentReader.Read(garment.ClothType, garment.Image));
            }

            progress.Report(new TryonProgress("fitting", 45, null));
            var random = new Random(request.Seed);
            foreach (var garment in garments)
            {
                cancellationToken.ThrowIfCancellationRequested();
                layers.Add(GarmentFitter.Fit(person, garment, random));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var (result, regions) = TryonCompositor.Compose(photo, person, layers);
            using (result)
            {
                if (regions.Count == 0)
                {
                    throw new TryonFailedException("person_not_fully_visible", "The body is outside the photo; use a photo that shows your upper body.");
                }

                progress.Report(new TryonProgress("compositing", 80, EngineImages.Preview(result, PreviewLongSide)));
                var png = EngineImages.EncodeOpaquePng(result);
                progress.Report(new TryonProgress("done", 100, null));
                return new TryonResult(png, "image/png", result.Width, result.Height, regions);
            }
        }
        finally
        {
            // The garments' readings are shared through the reader's cache; only the layers are this try-on's own.
            layers.ForEach(layer => layer.Dispose());
        }
    }
}
