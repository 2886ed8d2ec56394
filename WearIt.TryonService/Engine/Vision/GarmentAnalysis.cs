using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>One sleeve of a top, in the cut-out's pixels: where it leaves the body, where it ends, and how wide it is there.</summary>
public sealed record SleeveShape(SKPoint Root, float RootWidth, SKPoint End, float EndWidth)
{
    public float Length => SKPoint.Distance(Root, End);
}

/// <summary>
/// A garment read once from its image: the cut-out (premultiplied RGBA, cropped to the garment) and its key points in
/// the cut-out's pixels. Sides are the image's: a garment laid flat facing the camera has the wearer's right on the
/// image's left. Tops and dresses fill the neck, shoulder, armpit and hem points; bottoms the waistband, crotch and leg
/// hems; sleeves are null when there are none.
/// </summary>
public sealed record GarmentAnalysis(
    string ClothType,
    SKBitmap Cutout,
    SKPoint NeckLeft,
    SKPoint NeckRight,
    SKPoint NeckCentre,
    SKPoint ShoulderLeft,
    SKPoint ShoulderRight,
    SKPoint ArmpitLeft,
    SKPoint ArmpitRight,
    SKPoint WaistLeft,
    SKPoint WaistRight,
    SKPoint HemLeft,
    SKPoint HemRight,
    SKPoint? Crotch,
    SleeveShape? SleeveLeft,
    SleeveShape? SleeveRight,
    LegShape? LegLeft,
    LegShape? LegRight) : IDisposable
{
    /// <summary>Whether the garment was cut out of a photo of someone wearing it.</summary>
    public bool Worn { get; init; }

    public void Dispose() => Cutout.Dispose();
}

/// <summary>One trouser leg, in the cut-out's pixels: its top (at the waistband) and its hem, with their widths.</summary>
public sealed record LegShape(SKPoint Top, float TopWidth, SKPoint Hem, float HemWidth)
{
    public float Length => SKPoint.Distance(Top, Hem);
}
