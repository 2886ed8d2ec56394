using OpenCvSharp;
using SkiaSharp;
using Cv = OpenCvSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Cuts a garment out of a photo of someone wearing it (the football shirt of messi5.jpg): the person's mask within the
/// region that cloth type covers (for a top also the upper arms, for its sleeves), and key points from the pose instead
/// of the silhouette, since a worn garment's outline is the body's.
/// </summary>
public static class WornGarmentCutter
{
    // In shoulder widths, as BodyRegions and the fitter measure a body: seams 12 % outside the joints, a crew neck 0.44
    // across, an upper arm 0.34 thick; sleeves are taken to half the upper arm (a short sleeve: a worn sleeve's true
    // end cannot be told from the arm).
    private const float SeamHalf = 0.62f;
    private const float NeckHalf = 0.22f;
    private const float UpperArm = 0.34f;
    private const float SleeveShare = 0.5f;
    // The bare arm left out: this thick, from a little past the sleeve's end (in upper-arm lengths) to past the hand.
    private const float BareArm = 0.5f;
    private const float BareArmGap = 0.1f;
    // A print's edges count as an axis when this coherent (0: every direction alike, 1: all one way) and leaning at most
    // this many degrees from the body's axis.
    private const double MinPrintCoherence = 0.2;
    private const double MaxPrintTilt = 25;

    public static GarmentAnalysis Cut(string clothType, SKBitmap photo, PersonAnalysis person)
    {
        VisibilityGate.Require(person, [clothType]);
        using var region = VisionImages.FromMask(person.RegionFor(clothType), person.Width, person.Height);
        var sw = person.ShoulderWidth;
        var across = Unit(person[Body.LeftShoulder] - person[Body.RightShoulder]);
        var down = Unit(person.HipCentre - person.ShoulderCentre);
        var seam = person.ShoulderCentre - Scale(down, 0.06f * sw);
        var (rightRoot, leftRoot) = (seam - Scale(across, 0.5f * sw), seam + Scale(across, 0.5f * sw));
        if (clothType == "upper")
        {
            using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
            using var arms = new Mat(person.Height, person.Width, MatType.CV_8UC1, Cv.Scalar.All(0));
            using var bare = new Mat(person.Height, person.Width, MatType.CV_8UC1, Cv.Scalar.All(0));
            foreach (var (root, elbow, wrist) in new[] { (rightRoot, person[Body.RightElbow], person[Body.RightWrist]), (leftRoot, person[Body.LeftElbow], person[Body.LeftWrist]) })
            {
                var end = root + Scale(elbow - root, SleeveShare);
                Cv2.Line(arms, P(root), P(end), Cv.Scalar.All(255), Math.Max(1, (int)(UpperArm * sw)), LineTypes.Link8);
                // Past the sleeve's end the arm is bare: the region a top covers on a body runs down the whole arm (for
                // a long sleeve), which on a worn short-sleeved shirt is the wearer's skin and hands.
                var bareWidth = Math.Max(1, (int)(BareArm * sw));
                Cv2.Line(bare, P(end + Scale(elbow - root, BareArmGap)), P(elbow), Cv.Scalar.All(255), bareWidth, LineTypes.Link8);
                Cv2.Line(bare, P(elbow), P(wrist + Scale(wrist - elbow, 0.5f)), Cv.Scalar.All(255), bareWidth, LineTypes.Link8);
            }

            Cv2.Subtract(region, bare, region);
            Cv2.Threshold(body, body, 127, 255, ThresholdTypes.Binary);
            Cv2.BitwiseAnd(arms, body, arms);
            Cv2.Max(region, arms, region);
        }

        using var points = new Mat();
        Cv2.FindNonZero(region, points);
        if (points.Empty())
        {
            throw new TryonFailedException("garment_not_found", "No garment could be made out on the person in this photo.");
        }

        // Turn the garment upright, as a flat lay lies: the body's axis straight down, its shoulders level; or a print's
        // own axis where it has one.
        var upright = PrintAxis(photo, region, sw, down) ?? down;
        var (cos, sin) = (upright.Y, upright.X);
        var found = Cv2.BoundingRect(points);
        var corners = new[] { new SKPoint(found.Left, found.Top), new SKPoint(found.Right, found.Top), new SKPoint(found.Left, found.Bottom), new SKPoint(found.Right, found.Bottom) }
            .Select(corner => Turn(corner, cos, sin)).ToList();
        var (minX, minY) = (corners.Min(corner => corner.X), corners.Min(corner => corner.Y));
        var size = new Cv.Size((int)Math.Ceiling(corners.Max(corner => corner.X) - minX) + 1, (int)Math.Ceiling(corners.Max(corner => corner.Y) - minY) + 1);
        SKPoint Local(SKPoint point)
        {
            var turned = Turn(point, cos, sin);
            return new SKPoint(turned.X - minX, turned.Y - minY);
        }

        using var turn = new Mat(2, 3, MatType.CV_64FC1);
        turn.Set(0, 0, (double)cos);
        turn.Set(0, 1, (double)-sin);
        turn.Set(0, 2, (double)-minX);
        turn.Set(1, 0, (double)sin);
        turn.Set(1, 1, (double)cos);
        turn.Set(1, 2, (double)-minY);
        var cutout = new SKBitmap(new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var source = VisionImages.Wrap(photo))
        using (var target = VisionImages.Wrap(cutout))
        using (var premultiplied = new Mat())
        {
            var channels = Cv2.Split(source);
            try
            {
                for (var c = 0; c < 3; c++)
                {
                    Cv2.Multiply(channels[c], region, channels[c], 1 / 255.0);
                }

                region.CopyTo(channels[3]);
                Cv2.Merge(channels, premultiplied);
            }
            finally
            {
                foreach (var channel in channels)
                {
                    channel.Dispose();
                }
            }

            Cv2.WarpAffine(premultiplied, target, turn, size, InterpolationFlags.Linear, BorderTypes.Constant, Cv.Scalar.All(0));
        }

        var hipHalf = 0.54f * sw;
        var hem = person.HipCentre + Scale(down, 0.12f * person.TorsoLength);
        var armpitRight = person[Body.RightShoulder] + Scale(person[Body.RightHip] - person[Body.RightShoulder], 0.3f) - Scale(across, 0.05f * sw);
        var armpitLeft = person[Body.LeftShoulder] + Scale(person[Body.LeftHip] - person[Body.LeftShoulder], 0.3f) + Scale(across, 0.05f * sw);
        SleeveShape? Sleeve(SKPoint root, SKPoint armpit, int elbow)
        {
            if (clothType != "upper")
            {
                return null;
            }

            var start = PersonAnalysis.Mid(root, armpit);
            var end = root + Scale(person[elbow] - root, SleeveShare);
            return new SleeveShape(Local(start), SKPoint.Distance(root, armpit), Local(end), UpperArm * sw);
        }

        if (clothType == "lower")
        {
            var waist = person.ShoulderCentre + Scale(down, 0.78f * person.TorsoLength);
            LegShape Leg(int hip, int ankle) => new(Local(person[hip]), 0.5f * sw, Local(person[ankle]), 0.34f * sw);

            return new GarmentAnalysis("lower", cutout, default, default, default, default, default, default, default,
                Local(waist - Scale(across, hipHalf)), Local(waist + Scale(across, hipHalf)),
                Local(person[Body.RightAnkle]), Local(person[Body.LeftAnkle]), Local(person.HipCentre + Scale(down, 0.22f * person.TorsoLength)),
                null, null, Leg(Body.RightHip, Body.RightAnkle), Leg(Body.LeftHip, Body.LeftAnkle));
        }

        var hemRight = hem - Scale(across, hipHalf);
        var hemLeft = hem + Scale(across, hipHalf);
        if (clothType == "dress")
        {
            var knees = PersonAnalysis.Mid(person[Body.LeftKnee], person[Body.RightKnee]) + Scale(down, 0.1f * person.TorsoLength);
            (hemRight, hemLeft) = (knees - Scale(across, 1.2f * hipHalf), knees + Scale(across, 1.2f * hipHalf));
        }

        var waistLine = person.ShoulderCentre + Scale(down, 0.8f * person.TorsoLength);
        // The photo's left is the wearer's right, as in a flat lay: "left" points are the subject's right side.
        return new GarmentAnalysis(clothType, cutout,
            Local(seam - Scale(across, NeckHalf * sw)), Local(seam + Scale(across, NeckHalf * sw)), Local(seam + Scale(down, 0.15f * sw)),
            Local(seam - Scale(across, SeamHalf * sw)), Local(seam + Scale(across, SeamHalf * sw)),
            Local(armpitRight), Local(armpitLeft),
            Local(waistLine - Scale(across, 0.46f * sw)), Local(waistLine + Scale(across, 0.46f * sw)),
            Local(hemRight), Local(hemLeft), null,
            Sleeve(rightRoot, armpitRight, Body.RightElbow), Sleeve(leftRoot, armpitLeft, Body.LeftElbow), null, null);
    }

    /// <summary>
    /// The garment's own down, where its print has an axis (stripes, checks): the direction of the colour edges inside it,
    /// when they mostly run one way and within <see cref="MaxPrintTilt"/> of the body's axis or across it. messi5.jpg
    /// lunges with his torso twisted: his shirt's stripes lean 14 degrees from the line between his shoulders and hips,
    /// and put on upright by that line they leaned on every new wearer. Colour (Lab a and b) rather than lightness, so
    /// that folds and shadows do not count; away from the garment's outline, which is the body's.
    /// </summary>
    private static SKPoint? PrintAxis(SKBitmap photo, Mat region, float sw, SKPoint down)
    {
        using var inside = new Mat();
        var inset = Math.Max(1, (int)(0.05f * sw));
        using (var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size((2 * inset) + 1, (2 * inset) + 1)))
        {
            Cv2.Erode(region, inside, kernel);
        }

        var bounds = Cv2.BoundingRect(inside);
        if (bounds.Width < 3 || bounds.Height < 3)
        {
            return null;
        }

        using var rgba = VisionImages.Wrap(photo);
        using var window = new Mat(rgba, bounds);
        using var lab = VisionImages.ToLab(window);
        using var chroma = new Mat();
        lab.ConvertTo(chroma, MatType.CV_32FC3);
        Cv2.GaussianBlur(chroma, chroma, new Cv.Size(0, 0), Math.Max(1, 0.01 * sw));
        using var outside = new Mat();
        using (var mask = new Mat(inside, bounds))
        {
            Cv2.BitwiseNot(mask, outside);
        }

        double xx = 0, yy = 0, xy = 0;
        var channels = Cv2.Split(chroma);
        try
        {
            foreach (var channel in channels.Skip(1))
            {
                using var dx = new Mat();
                using var dy = new Mat();
                Cv2.Sobel(channel, dx, MatType.CV_32F, 1, 0);
                Cv2.Sobel(channel, dy, MatType.CV_32F, 0, 1);
                dx.SetTo(Cv.Scalar.All(0), outside);
                dy.SetTo(Cv.Scalar.All(0), outside);
                xx += dx.Dot(dx);
                yy += dy.Dot(dy);
                xy += dx.Dot(dy);
            }
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }

        var total = xx + yy;
        var coherence = total <= 0 ? 0 : Math.Sqrt(((xx - yy) * (xx - yy)) + (4 * xy * xy)) / total;
        // The edges' common direction across them, against the body's across; folded to the nearest axis.
        var tilt = (0.5 * Math.Atan2(2 * xy, xx - yy)) - Math.Atan2(-down.X, down.Y);
        tilt -= Math.Round(tilt / (Math.PI / 2)) * (Math.PI / 2);
        if (coherence < MinPrintCoherence || Math.Abs(tilt) > MaxPrintTilt * Math.PI / 180)
        {
            return null;
        }

        return Turn(down, (float)Math.Cos(tilt), (float)Math.Sin(tilt));
    }

    /// <summary>Rotates a point about the origin by the angle whose cosine and sine are given.</summary>
    private static SKPoint Turn(SKPoint point, float cos, float sin) => new((cos * point.X) - (sin * point.Y), (sin * point.X) + (cos * point.Y));

    private static SKPoint Scale(SKPoint vector, float factor) => new(vector.X * factor, vector.Y * factor);

    private static SKPoint Unit(SKPoint vector)
    {
        var length = vector.Length;
        return length < 1e-3f ? new SKPoint(0, 1) : new SKPoint(vector.X / length, vector.Y / length);
    }

    private static Cv.Point P(SKPoint point) => new((int)Math.Round(point.X), (int)Math.Round(point.Y));
}
