using SkiaSharp;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>A limb as a polyline (root, middle joint, end): points and directions by distance along it.</summary>
public sealed class LimbPath(IReadOnlyList<SKPoint> points)
{
    public float Length { get; } = Enumerable.Range(1, points.Count - 1).Sum(i => SKPoint.Distance(points[i - 1], points[i]));

    /// <summary>The point <paramref name="distance"/> along the limb and the limb's direction there (continued past its end).</summary>
    public (SKPoint Point, SKPoint Direction) At(float distance)
    {
        var remaining = distance;
        for (var i = 1; i < points.Count; i++)
        {
            var segment = points[i] - points[i - 1];
            var length = segment.Length;
            if (length < 1e-3f)
            {
                continue;
            }

            var direction = new SKPoint(segment.X / length, segment.Y / length);
            if (remaining <= length || i == points.Count - 1)
            {
                return (points[i - 1] + new SKPoint(direction.X * remaining, direction.Y * remaining), direction);
            }

            remaining -= length;
        }

        return (points[0], new SKPoint(0, 1));
    }

    /// <summary>0 at the root to 1 past the middle joint: how far <paramref name="distance"/> is into the lower part.</summary>
    public float ElbowShare(float distance)
    {
        var first = SKPoint.Distance(points[0], points[1]);
        return first < 1e-3f ? 1 : Math.Clamp((distance - (0.6f * first)) / (0.8f * first), 0, 1);
    }
}
