using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>BlazePose landmark indices (the subject's left and right).</summary>
public static class Body
{
    public const int Nose = 0;
    public const int LeftEar = 7;
    public const int RightEar = 8;
    public const int LeftShoulder = 11;
    public const int RightShoulder = 12;
    public const int LeftElbow = 13;
    public const int RightElbow = 14;
    public const int LeftWrist = 15;
    public const int RightWrist = 16;
    public const int LeftPinky = 17;
    public const int RightPinky = 18;
    public const int LeftIndex = 19;
    public const int RightIndex = 20;
    public const int LeftThumb = 21;
    public const int RightThumb = 22;
    public const int LeftHip = 23;
    public const int RightHip = 24;
    public const int LeftKnee = 25;
    public const int RightKnee = 26;
    public const int LeftAnkle = 27;
    public const int RightAnkle = 28;
}

/// <summary>
/// What is known about the person in one body photo, in the analysed photo's pixels: the 33 landmarks, the face box,
/// the person mask and the three regions an upper, a lower and a full-length garment may cover (masks, 0 or 255,
/// row by row, <see cref="Width"/> x <see cref="Height"/>).
/// </summary>
public sealed record PersonAnalysis(
    int Width,
    int Height,
    IReadOnlyList<Landmark> Landmarks,
    float PoseFlag,
    SKRect Face,
    byte[] PersonMask,
    byte[] UpperRegion,
    byte[] LowerRegion,
    byte[] FullRegion)
{
    public SKPoint this[int landmark] => Landmarks[landmark].Point;

    public SKPoint ShoulderCentre => Mid(this[Body.LeftShoulder], this[Body.RightShoulder]);

    public SKPoint HipCentre => Mid(this[Body.LeftHip], this[Body.RightHip]);

    public float ShoulderWidth => SKPoint.Distance(this[Body.LeftShoulder], this[Body.RightShoulder]);

    public float TorsoLength => SKPoint.Distance(ShoulderCentre, HipCentre);

    /// <summary>The lowest row of the face and hair that nothing may be drawn above: the chin, from the face box (brows to mouth).</summary>
    public float ChinY => Face.Bottom + (Face.Height * 0.35f);

    /// <summary>The region a garment of this cloth type may cover.</summary>
    public byte[] RegionFor(string clothType) => clothType switch
    {
        "upper" => UpperRegion,
        "lower" => LowerRegion,
        _ => FullRegion,
    };

    public static SKPoint Mid(SKPoint a, SKPoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);
}
