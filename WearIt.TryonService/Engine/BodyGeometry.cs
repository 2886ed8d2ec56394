using SkiaSharp;

namespace WearIt.TryonService.Engine;

/// <summary>The body lines a garment is fitted to, in photo pixels.</summary>
public sealed record BodyGeometry(
    float CenterX, float ChinY, float ShoulderY, float ShoulderWidth, float WaistY, float HipY, float HipWidth, float KneeY, float AnkleY, float HeadUnit)
{
    /// <summary>
    /// Estimates the body lines from the face, in head units (U = the head's height, taken as 1.7 x the face box,
    /// which BlazeFace draws from brows to mouth). Adult proportions, measured down from the chin:
    /// shoulders +0.3 U and 2.0 U wide, waist +1.9 U, hips +2.7 U and 1.6 U wide, knees +4.5 U, ankles +6.3 U.
    /// The centre line runs through the nose.
    /// </summary>
    public static BodyGeometry FromFace(DetectedFace face)
    {
        var unit = face.Box.Height * 1.7f;
        var chin = face.Mouth.Y + (face.Box.Height * 0.35f);
        return new BodyGeometry(
            CenterX: face.Nose.X,
            ChinY: chin,
            ShoulderY: chin + (0.3f * unit),
            ShoulderWidth: 2.0f * unit,
            WaistY: chin + (1.9f * unit),
            HipY: chin + (2.7f * unit),
            HipWidth: 1.6f * unit,
            KneeY: chin + (4.5f * unit),
            AnkleY: chin + (6.3f * unit),
            HeadUnit: unit);
    }

    /// <summary>Where a garment of this cloth type is drawn: its opaque area is stretched to fill this rectangle.</summary>
    public SKRect TargetFor(string clothType) => clothType switch
    {
        "upper" => Around(ShoulderY - (0.1f * HeadUnit), HipY + (0.15f * HeadUnit), ShoulderWidth * 1.35f),
        "lower" => Around(WaistY, AnkleY, HipWidth * 1.15f),
        "dress" => Around(ShoulderY - (0.05f * HeadUnit), KneeY + (0.4f * HeadUnit), ShoulderWidth * 1.2f),
        _ => throw new TryonFailedException("garment_unsupported", $"Cloth type '{clothType}' cannot be tried on."),
    };

    private SKRect Around(float top, float bottom, float width) => new(CenterX - (width / 2), top, CenterX + (width / 2), bottom);
}
