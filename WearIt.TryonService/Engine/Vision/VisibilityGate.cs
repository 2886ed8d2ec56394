using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Refuses a garment the photo cannot show: a top needs the shoulders in the frame, a bottom the hips and knees, a
/// dress the shoulders, hips and knees. A joint counts when the model sees it and it lies inside the photo; a knee must
/// also be a third of a torso from its hip and below it (on a photo cut at the waist the model "finds" knees beside
/// the hips: astronaut.png's are level with them, messi5.jpg's kicking leg is 0.2 torso below its hip).
/// </summary>
public static class VisibilityGate
{
    private const float MinVisibility = 0.5f;
    private const float MinThigh = 0.3f;
    private const float MinKneeDrop = 0.1f;

    public static void Require(PersonAnalysis person, IEnumerable<string> clothTypes)
    {
        foreach (var clothType in clothTypes.Distinct())
        {
            var (needsShoulders, needsLegs) = clothType switch
            {
                "upper" => (true, false),
                "lower" => (false, true),
                _ => (true, true),
            };
            var visible = (!needsShoulders || (Seen(person, Body.LeftShoulder) && Seen(person, Body.RightShoulder)))
                && (!needsLegs || (Seen(person, Body.LeftHip) && Seen(person, Body.RightHip) && Knee(person, Body.LeftKnee, Body.LeftHip) && Knee(person, Body.RightKnee, Body.RightHip)));
            if (!visible)
            {
                var parts = clothType switch
                {
                    "upper" => "your shoulders",
                    "lower" => "your hips and knees",
                    _ => "you from the shoulders to the knees",
                };
                throw new TryonFailedException("person_not_fully_visible", $"To try this on, the photo must show {parts}.");
            }
        }
    }

    private static bool Seen(PersonAnalysis person, int landmark)
    {
        var point = person.Landmarks[landmark];
        return point.Visibility >= MinVisibility && point.X >= 0 && point.Y >= 0 && point.X < person.Width && point.Y < person.Height;
    }

    private static bool Knee(PersonAnalysis person, int knee, int hip)
    {
        var down = person.HipCentre - person.ShoulderCentre;
        var thigh = person[knee] - person[hip];
        var drop = ((thigh.X * down.X) + (thigh.Y * down.Y)) / Math.Max(down.Length, 1e-3f);
        return Seen(person, knee)
            && thigh.Length >= MinThigh * person.TorsoLength
            && drop >= MinKneeDrop * person.TorsoLength;
    }
}
