using OpenCvSharp;
using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Analyses a body photo once: the face (BlazeFace), the people in it (selfie segmentation), the pose and the person's
/// mask (BlazePose, the region of interest found from the selfie mask and refined twice from the model's own alignment
/// points), then the view gate: exactly one person, facing the camera. Throws <see cref="TryonFailedException"/> with
/// <c>no_person_detected</c>, <c>multiple_people</c> or <c>person_not_facing</c>.
/// </summary>
public sealed class PersonAnalyzer(BlazeFaceDetector faces, PersonSegmenter segmenter, PoseLandmarker landmarker)
{
    // A face at least this share of the largest face's width is a second person of similar size, not the crowd behind
    // (messi5.jpg's crowd faces are under a third of his).
    private const float SimilarFaceWidth = 0.6f;
    // Likewise for a separate blob of the person mask, by area (basketball1.png's second player, turned away, is ~0.9).
    private const float SimilarPersonArea = 0.4f;
    // A person smaller than this share of the photo is not one to dress.
    private const float MinPersonShare = 0.03f;
    // Shoulder width over torso length: 0.63-0.66 frontal, 0.09 side-back, 0.14 back (BlazePose on real photos here).
    // NOTE: the shoulders' depth gap was tried too and left out: basketball1.png's player turned three-quarters to the
    // camera (still dressable) has as large a gap as the one seen from the side.
    private const float MinFrontalShoulderRatio = 0.35f;
    private const float MinPoseFlag = 0.5f;
    private const int RefinementPasses = 2;

    public PersonAnalysis Analyse(SKBitmap photo)
    {
        using var rgb = VisionImages.ToRgb(photo);
        var found = faces.Detect(photo);
        using var mask = segmenter.Segment(rgb);
        using var binary = new Mat();
        Cv2.Threshold(mask, binary, 127, 255, ThresholdTypes.Binary);
        var people = PersonBlobs.Find(binary);
        var largest = people.Count > 0 ? people.Max(blob => blob.Area) : 0;
        var person = people.Where(blob => blob.Area >= MinPersonShare * photo.Width * photo.Height).ToList();

        if (found.Count == 0 && person.Count == 0)
        {
            throw new TryonFailedException("no_person_detected", "No person could be found in the photo; use a photo of yourself from the front.");
        }

        var similarFaces = found.Count(face => face.Box.Width >= SimilarFaceWidth * found[0].Box.Width);
        var similarBlobs = person.Count(blob => blob.Area >= SimilarPersonArea * largest);
        if (similarFaces > 1 || similarBlobs > 1)
        {
            throw new TryonFailedException("multiple_people", "The photo shows more than one person; use a photo of just you.");
        }

        if (person.Count == 0)
        {
            throw new TryonFailedException("no_person_detected", "The person in the photo is too small to dress; use a photo of you that fills more of the frame.");
        }

        if (found.Count == 0)
        {
            throw new TryonFailedException("person_not_facing", "Your face is not visible; use a photo taken from the front.");
        }

        var face = found[0];
        var main = person.MinBy(blob => DistanceToBlob(blob, face)) ?? person[0];
        var pose = Landmarks(rgb, main.Box);
        CheckFacing(pose);

        // The landmark model's own mask follows the whole body (the selfie model, made for faces close up, loses the
        // limbs of a full-body photo: messi5.jpg's outstretched arms); the selfie mask still tells people apart above.
        using var personMask = pose.Mask(rgb.Size());

        var maskBytes = VisionImages.ToBytes(personMask);
        var chest = PersonAnalysis.MeasureChest(pose.Points, maskBytes, photo.Width, photo.Height);
        var analysis = new PersonAnalysis(photo.Width, photo.Height, pose.Points, pose.PoseFlag, face.Box, maskBytes, [], [], [], chest);
        var regions = BodyRegions.Draw(analysis, personMask);
        return analysis with { UpperRegion = regions.Upper, LowerRegion = regions.Lower, FullRegion = regions.Full };
    }

    private PoseLandmarks Landmarks(Mat rgb, Rect personBox)
    {
        // First pass: a square around the person; then twice around the hip centre the model reports, 2.5x the distance
        // to its scale point, turned by the body's lean (MediaPipe's own tracking rule).
        var centre = new Point2f(personBox.X + (personBox.Width / 2f), personBox.Y + (personBox.Height / 2f));
        var side = Math.Max(personBox.Width, personBox.Height) * 1.25f;
        var angle = 0f;
        PoseLandmarks pose = landmarker.Detect(rgb, centre, side, angle);
        for (var pass = 0; pass < RefinementPasses; pass++)
        {
            var (hip, top) = (pose.HipCentre, pose.ScalePoint);
            var reach = MathF.Sqrt(((top.X - hip.X) * (top.X - hip.X)) + ((top.Y - hip.Y) * (top.Y - hip.Y)));
            if (reach < 8)
            {
                break;
            }

            centre = new Point2f(hip.X, hip.Y);
            side = reach * 2.5f;
            angle = MathF.Atan2(top.X - hip.X, hip.Y - top.Y);
            pose = landmarker.Detect(rgb, centre, side, angle);
        }

        return pose;
    }

    private static void CheckFacing(PoseLandmarks pose)
    {
        var left = pose.Points[Body.LeftShoulder];
        var right = pose.Points[Body.RightShoulder];
        var shoulders = SKPoint.Distance(left.Point, right.Point);
        var torso = SKPoint.Distance(PersonAnalysis.Mid(left.Point, right.Point), PersonAnalysis.Mid(pose.Points[Body.LeftHip].Point, pose.Points[Body.RightHip].Point));
        var facing = pose.PoseFlag >= MinPoseFlag
            && torso > 0
            && shoulders / torso >= MinFrontalShoulderRatio
            && left.X > right.X; // the subject's left shoulder is on the photo's right when they face the camera
        if (!facing)
        {
            throw new TryonFailedException("person_not_facing", "You are turned away from the camera; use a photo taken from the front.");
        }
    }

    private static float DistanceToBlob(PersonBlob blob, DetectedFace face)
    {
        var centre = new Point2f(face.Box.MidX, face.Box.MidY);
        var box = blob.Box;
        var dx = Math.Max(0, Math.Max(box.Left - centre.X, centre.X - box.Right));
        var dy = Math.Max(0, Math.Max(box.Top - centre.Y, centre.Y - box.Bottom));
        return (dx * dx) + (dy * dy);
    }
}
