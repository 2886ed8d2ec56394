using SkiaSharp;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Features.BodyAnalysis;

/// <summary>
/// A person analysis as it travels and is stored: the numbers (landmarks as x, y, z, visibility; the face box as left,
/// top, right, bottom) and the object keys of its four mask PNGs, which ApiService keeps with the body. A job keeps a
/// copy, so it runs on the analysis its credit was spent for.
/// </summary>
public sealed class BodyAnalysisSnapshot
{
    public int Width { get; set; }

    public int Height { get; set; }

    public float PoseFlag { get; set; }

    public float ChestWidth { get; set; }

    public float[] Face { get; set; } = [];

    public float[] Landmarks { get; set; } = [];

    /// <summary>The cloth types the photo can be dressed in: <c>upper</c>, <c>lower</c>, <c>dress</c>.</summary>
    public List<string> Wears { get; set; } = [];

    public string PersonMaskKey { get; set; } = "";

    public string UpperRegionKey { get; set; } = "";

    public string LowerRegionKey { get; set; } = "";

    public string FullRegionKey { get; set; } = "";

    public static BodyAnalysisSnapshot From(PersonAnalysis person, IEnumerable<string> wears) => new()
    {
        Width = person.Width,
        Height = person.Height,
        PoseFlag = person.PoseFlag,
        ChestWidth = person.ChestWidth,
        Face = [person.Face.Left, person.Face.Top, person.Face.Right, person.Face.Bottom],
        Landmarks = [.. person.Landmarks.SelectMany(point => new[] { point.X, point.Y, point.Z, point.Visibility })],
        Wears = [.. wears],
    };

    /// <summary>The analysis again, from these numbers and the four masks (person, upper, lower, full; raw bytes).</summary>
    public PersonAnalysis ToPersonAnalysis(byte[] person, byte[] upper, byte[] lower, byte[] full)
    {
        if (Landmarks.Length != PoseLandmarker.Count * 4 || Face.Length != 4 || Width <= 0 || Height <= 0)
        {
            throw new TryonFailedException("body_analysis_invalid", "The stored analysis of the photo is damaged.");
        }

        var points = Enumerable.Range(0, PoseLandmarker.Count)
            .Select(i => new Landmark(Landmarks[i * 4], Landmarks[(i * 4) + 1], Landmarks[(i * 4) + 2], Landmarks[(i * 4) + 3]))
            .ToList();
        return new PersonAnalysis(Width, Height, points, PoseFlag, new SKRect(Face[0], Face[1], Face[2], Face[3]), person, upper, lower, full, ChestWidth);
    }
}
