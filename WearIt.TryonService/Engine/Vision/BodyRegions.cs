using OpenCvSharp;
using Cv = OpenCvSharp;
using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Where an upper, a lower and a full-length garment may sit on the body: shapes built from the landmarks (torso,
/// pelvis, arm and leg capsules) cut to the person mask, never above the chin and never over the hands.
/// </summary>
public static class BodyRegions
{
    // Widths in shoulder widths (the distance between the shoulder joints), from adult proportions: an upper arm is
    // about a third of it across, a thigh about half, and the pelvis outline about as wide as the shoulder joints.
    private const float ArmThickness = 0.34f;
    private const float ForearmThickness = 0.28f;
    private const float ThighThickness = 0.5f;
    private const float ShinThickness = 0.34f;
    private const float HandRadius = 0.16f;
    private const float PelvisHalfWidth = 0.52f;
    private const float NeckHalfWidth = 0.22f;
    private const float NeckDepth = 0.22f;
    // The top of the shoulders: this far above the joints and this far each side of the middle, in joint distances (the
    // distance between the shoulder joints themselves: the mask-widened shoulder width of a bulky suit would reach the
    // background beside it).
    private const float CapRise = 0.4f;
    private const float CapHalfWidth = 0.75f;
    // How far old clothes around a top may be covered each side of the middle at the chest, in joint distances (a
    // twisted torso's far flank reaches past the line from shoulder to hip). A dress has no sleeves to cover the arms
    // beside it, and stays narrower.
    private const float TopSideHalfWidth = 0.9f;
    private const float DressSideHalfWidth = 0.7f;
    // A loose sleeve stands off the arm: the zone where an old one may show is this wide. Loose shorts stand further off
    // the thighs (messi5.jpg's hang between his legs in the lunge).
    private const float LooseThighThickness = 1.3f;
    private const float BareArmThickness = 0.42f;

    public sealed record Masks(byte[] Upper, byte[] Lower, byte[] Full);

    public static Masks Draw(PersonAnalysis person, Mat personMask)
    {
        using var body = new Mat();
        Cv2.Threshold(personMask, body, 127, 255, ThresholdTypes.Binary);
        var geometry = new Geometry(person);

        using var upper = Blank(person);
        Cv2.FillPoly(upper, [geometry.Torso(extendBelowHips: 0.12f, PelvisHalfWidth, shoulders: true, neckOpening: true, chestHalfWidth: null)], Cv.Scalar.All(255), LineTypes.AntiAlias);
        foreach (var (from, to) in geometry.Arms)
        {
            Cv2.Line(upper, from, to, Cv.Scalar.All(255), geometry.Thickness(ArmThickness), LineTypes.AntiAlias);
        }

        using var lower = Blank(person);
        Cv2.FillConvexPoly(lower, geometry.Pelvis(), Cv.Scalar.All(255), LineTypes.AntiAlias);
        foreach (var (from, to, thigh) in geometry.Legs)
        {
            Cv2.Line(lower, from, to, Cv.Scalar.All(255), geometry.Thickness(thigh ? ThighThickness : ShinThickness), LineTypes.AntiAlias);
        }

        using var full = Blank(person);
        Cv2.FillPoly(full, [geometry.Torso(extendBelowHips: 0f, PelvisHalfWidth, shoulders: true, neckOpening: true, chestHalfWidth: null)], Cv.Scalar.All(255), LineTypes.AntiAlias);
        Cv2.FillConvexPoly(full, geometry.Pelvis(), Cv.Scalar.All(255), LineTypes.AntiAlias);
        foreach (var (from, to, thigh) in geometry.Legs.Where(leg => leg.Thigh))
        {
            Cv2.Line(full, from, to, Cv.Scalar.All(255), geometry.Thickness(ThighThickness), LineTypes.AntiAlias);
        }

        using var keep = Blank(person);
        keep.SetTo(Cv.Scalar.All(255));
        ClearHeadAndHands(keep, person);

        // A forearm the model sees lies in front of the body: no garment region under it.
        foreach (var (from, to) in geometry.SeenForearms)
        {
            Cv2.Line(keep, from, to, Cv.Scalar.All(0), geometry.Thickness(ForearmThickness), LineTypes.AntiAlias);
        }

        return new Masks(Finish(upper, body, keep), Finish(lower, body, keep), Finish(full, body, keep));
    }

    /// <summary>
    /// Where a new top or dress may leave the old one bare on the arms (masks 0 or 255, the photo's size): the arm
    /// segments the model sees (both ends visible; a guessed arm would paint skin over the chest), as a zone a little
    /// wider than an arm so a loose sleeve's edge is in, and as the arm's own width inside it; cut to the person mask,
    /// never over the head, hair or seen hands.
    /// </summary>
    public static (Mat Zone, Mat Arm) BareArms(PersonAnalysis person)
    {
        var geometry = new Geometry(person);
        var zone = Blank(person);
        var arm = Blank(person);
        foreach (var (from, to) in geometry.SeenArmSegments)
        {
            // Flat ends: a round one would reach past the shoulder joint onto the neck and collar.
            Cv2.FillConvexPoly(zone, Geometry.Band(from, to, geometry.Thickness(BareArmThickness)), Cv.Scalar.All(255), LineTypes.Link8);
            Cv2.FillConvexPoly(arm, Geometry.Band(from, to, geometry.Thickness(ArmThickness * 0.85f)), Cv.Scalar.All(255), LineTypes.Link8);
        }

        using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
        using var binary = new Mat();
        Cv2.Threshold(body, binary, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(zone, binary, zone);
        ClearHeadAndHands(zone, person);
        Cv2.BitwiseAnd(arm, zone, arm);
        return (zone, arm);
    }

    /// <summary>
    /// The torso without its neck opening (0 or 255, the photo's size): from the hips up to the shoulder joints' line, and
    /// with <paramref name="shoulders"/> on up to the top of the shoulders (<see cref="CapRise"/> above it) and the base
    /// of the neck; a top's width, cut to the person mask, never over the head, hair, seen hands or the forearms the
    /// model sees in front of the body. A top with sleeves covers the old clothes it finds there; a sleeveless one leaves
    /// the shoulders and the arms the model sees bare (they were made skin).
    /// </summary>
    public static Mat TorsoZone(PersonAnalysis person, bool shoulders)
    {
        var geometry = new Geometry(person);
        var zone = Blank(person);
        Cv2.FillPoly(zone, [geometry.Torso(extendBelowHips: 0.12f, PelvisHalfWidth + 0.08f, shoulders, neckOpening: false, shoulders ? TopSideHalfWidth : DressSideHalfWidth)], Cv.Scalar.All(255), LineTypes.Link8);
        CutToBody(zone, person, geometry, forearms: true);

        if (!shoulders)
        {
            var (bareZone, bareArm) = BareArms(person);
            using (bareZone)
            using (bareArm)
            {
                Cv2.Subtract(zone, bareZone, zone);
            }
        }

        return zone;
    }

    /// <summary>
    /// The hips and thighs as loose shorts cover them (0 or 255, the photo's size): the pelvis and each thigh the model
    /// sees, <see cref="LooseThighThickness"/> across, cut to the person mask, never over the hands or the forearms the
    /// model sees in front of the body. Trousers cover the old clothes they find there.
    /// </summary>
    public static Mat HipsZone(PersonAnalysis person)
    {
        var geometry = new Geometry(person);
        var zone = Blank(person);
        Cv2.FillConvexPoly(zone, geometry.Pelvis(), Cv.Scalar.All(255), LineTypes.Link8);
        foreach (var (from, to, _) in geometry.Legs.Where(leg => leg.Thigh))
        {
            Cv2.Line(zone, from, to, Cv.Scalar.All(255), geometry.Thickness(LooseThighThickness), LineTypes.Link8);
        }

        CutToBody(zone, person, geometry, forearms: true);

        return zone;
    }

    /// <summary>
    /// The neck's opening a top leaves (0 or 255, the photo's size), as the stored upper region leaves it out: from the top
    /// of the shoulders down to <see cref="NeckDepth"/> below the seam line, cut to the person mask, below the head.
    /// </summary>
    public static Mat NeckOpening(PersonAnalysis person)
    {
        var geometry = new Geometry(person);
        var zone = Blank(person);
        Cv2.FillPoly(zone, [geometry.NeckOpening(geometry.Cap)], Cv.Scalar.All(255), LineTypes.Link8);
        CutToBody(zone, person, geometry, forearms: false);
        return zone;
    }

    /// <summary>
    /// The tops of the shoulders (0 or 255, the photo's size): from the shoulder joints' line up to <see cref="CapRise"/>
    /// above it, across both shoulders, cut to the person mask, never over the head, hair or seen hands. A sleeveless
    /// top or dress leaves them bare.
    /// </summary>
    public static Mat ShoulderTops(PersonAnalysis person)
    {
        var geometry = new Geometry(person);
        var zone = Blank(person);
        Cv2.FillConvexPoly(zone, geometry.ShoulderTops(), Cv.Scalar.All(255), LineTypes.Link8);
        CutToBody(zone, person, geometry, forearms: false);
        return zone;
    }

    /// <summary>
    /// Cuts a zone to the person mask and clears the head, hair and seen hands from it, and with
    /// <paramref name="forearms"/> the forearms the model sees in front of the body.
    /// </summary>
    private static void CutToBody(Mat zone, PersonAnalysis person, Geometry geometry, bool forearms)
    {
        using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
        using var binary = new Mat();
        Cv2.Threshold(body, binary, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(zone, binary, zone);
        ClearHeadAndHands(zone, person);
        if (!forearms)
        {
            return;
        }

        foreach (var (from, to) in geometry.SeenForearms)
        {
            Cv2.Line(zone, from, to, Cv.Scalar.All(0), geometry.Thickness(ForearmThickness), LineTypes.Link8);
        }
    }

    /// <summary>Zeroes what no garment may cover in a mask the photo's size: the head and hair, and the hands the model sees.</summary>
    public static void ClearHeadAndHands(Mat mask, PersonAnalysis person)
    {
        ClearHead(mask, person);
        var geometry = new Geometry(person);
        foreach (var hand in geometry.SeenHands)
        {
            Cv2.Circle(mask, hand, geometry.Thickness(HandRadius), Cv.Scalar.All(0), -1, LineTypes.Link8);
        }
    }

    /// <summary>
    /// Zeroes the head in a mask the photo's size: above the face's middle the head's columns up to the top (hair),
    /// below it a half ellipse down past the chin, so the edge a garment meets there is round, like a jaw; and the face
    /// box with a margin.
    /// </summary>
    public static void ClearHead(Mat mask, PersonAnalysis person)
    {
        var head = person.Head;
        var face = person.Face;
        var middle = (int)Math.Floor(face.MidY);
        var columns = SKRectI.Intersect(SKRectI.Ceiling(new SKRect(head.Left, 0, head.Right, middle)), new SKRectI(0, 0, person.Width, person.Height));
        if (!columns.IsEmpty)
        {
            using var box = new Mat(mask, new Rect(columns.Left, columns.Top, columns.Width, columns.Height));
            box.SetTo(Cv.Scalar.All(0));
        }

        var axes = new Size((int)Math.Ceiling(head.Width / 2), (int)Math.Ceiling(head.Bottom - face.MidY + 1));
        Cv2.Ellipse(mask, new Point((int)Math.Round(face.MidX), middle), axes, 0, 0, 180, Cv.Scalar.All(0), -1, LineTypes.Link8);

        // The face box itself, and a tenth of it around, whatever the jaw's curve: a garment's feathered edge stays off it.
        var margin = face.Height * 0.1f;
        var guard = SKRectI.Intersect(SKRectI.Ceiling(SKRect.Inflate(face, margin, margin)), new SKRectI(0, 0, person.Width, person.Height));
        if (!guard.IsEmpty)
        {
            using var faceBox = new Mat(mask, new Rect(guard.Left, guard.Top, guard.Width, guard.Height));
            faceBox.SetTo(Cv.Scalar.All(0));
        }
    }

    private static Mat Blank(PersonAnalysis person) => new(person.Height, person.Width, MatType.CV_8UC1, Cv.Scalar.All(0));

    private static byte[] Finish(Mat shape, Mat body, Mat keep)
    {
        using var binary = new Mat();
        Cv2.Threshold(shape, binary, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(binary, body, binary);
        Cv2.BitwiseAnd(binary, keep, binary);
        return VisionImages.ToBytes(binary);
    }

    /// <summary>The landmark-made shapes, in pixels.</summary>
    private sealed class Geometry(PersonAnalysis person)
    {
        private readonly float _shoulderWidth = Math.Max(person.ShoulderWidth, 1f);

        // Unit vector from the subject's right shoulder to their left one, and the body's downward direction.
        private SKPoint Across => Unit(person[Body.LeftShoulder] - person[Body.RightShoulder]);

        private SKPoint Down => Unit(person.HipCentre - person.ShoulderCentre);

        private float JointWidth => Math.Max(1f, SKPoint.Distance(person[Body.LeftShoulder], person[Body.RightShoulder]));

        // The middle of the shoulders' tops.
        public SKPoint Cap => person.ShoulderCentre - Scale(Down, CapRise * JointWidth);

        // The middle of the shoulder seams' line, a little above the joints.
        private SKPoint Seam => person.ShoulderCentre - Scale(Down, 0.06f * _shoulderWidth);

        public int Thickness(float shoulderWidths) => Math.Max(1, (int)Math.Round(shoulderWidths * _shoulderWidth));

        /// <summary>
        /// The torso a top or a dress covers, cut to the person mask later: from <paramref name="extendBelowHips"/> torso
        /// lengths below the hips (<paramref name="hipHalfWidth"/> shoulder widths each side there) up past the shoulder
        /// joints, with <paramref name="shoulders"/> to the top of the shoulders (<see cref="CapRise"/> above the joints:
        /// raised arms lift the shoulders' outline well above them, and messi5.jpg's old shirt showed there), else to the
        /// joints' line. With <paramref name="neckOpening"/> it leaves out the neck (<see cref="NeckHalfWidth"/> each side
        /// of the middle, down to <see cref="NeckDepth"/> below the seam line); with <paramref name="chestHalfWidth"/> it is
        /// that many joint distances wide at the chest (a twisted torso's far flank reaches past the line from shoulder
        /// to hip).
        /// </summary>
        public Point[] Torso(float extendBelowHips, float hipHalfWidth, bool shoulders, bool neckOpening, float? chestHalfWidth)
        {
            var across = Across;
            var down = Down;
            var seamHalf = Math.Max(0.62f * _shoulderWidth, CapHalfWidth * JointWidth);
            var capHalf = CapHalfWidth * JointWidth;
            var hipHalf = hipHalfWidth * _shoulderWidth;
            var below = extendBelowHips * person.TopTorsoLength;
            var seam = Seam;
            var top = shoulders ? Cap : person.ShoulderCentre + Scale(down, 0.06f * _shoulderWidth);
            var chest = PersonAnalysis.Mid(person.ShoulderCentre, person.TopHipCentre);
            var chestHalf = chestHalfWidth is { } chestWidth ? Math.Max(chestWidth * JointWidth, PelvisHalfWidth * _shoulderWidth) : 0;
            var outline = new List<Point> { P(seam - Scale(across, seamHalf)), P(top - Scale(across, capHalf)) };
            if (neckOpening)
            {
                outline.AddRange(NeckOpening(top));
            }

            outline.AddRange([P(top + Scale(across, capHalf)), P(seam + Scale(across, seamHalf))]);
            if (chestHalfWidth is not null)
            {
                outline.Add(P(chest + Scale(across, chestHalf)));
            }

            outline.AddRange([P(person.TopHipCentre + Scale(across, hipHalf) + Scale(down, below)), P(person.TopHipCentre - Scale(across, hipHalf) + Scale(down, below))]);
            if (chestHalfWidth is not null)
            {
                outline.Add(P(chest - Scale(across, chestHalf)));
            }

            return [.. outline];
        }

        /// <summary>
        /// The neck's opening from <paramref name="top"/> down: <see cref="NeckHalfWidth"/> each side of the middle, to
        /// <see cref="NeckDepth"/> below the seam line in the middle, from the subject's right to left.
        /// </summary>
        public Point[] NeckOpening(SKPoint top)
        {
            var (across, down, seam) = (Across, Down, Seam);
            var neckHalf = NeckHalfWidth * _shoulderWidth;
            return
            [
                P(top - Scale(across, neckHalf)),
                P(seam - Scale(across, neckHalf)),
                P(seam + Scale(down, NeckDepth * _shoulderWidth)),
                P(seam + Scale(across, neckHalf)),
                P(top + Scale(across, neckHalf)),
            ];
        }

        /// <summary>The band <see cref="ShoulderTops"/> fills.</summary>
        public Point[] ShoulderTops()
        {
            var across = Scale(Across, CapHalfWidth * JointWidth);
            var top = Cap;
            var joints = person.ShoulderCentre;
            return [P(joints - across), P(top - across), P(top + across), P(joints + across)];
        }

        public Point[] Pelvis()
        {
            var across = Across;
            var down = Down;
            var waist = person.ShoulderCentre + Scale(down, 0.78f * person.TorsoLength);
            var hipHalf = PelvisHalfWidth * _shoulderWidth;
            var crotch = person.HipCentre + Scale(down, 0.22f * person.TorsoLength);
            return
            [
                P(waist - Scale(across, hipHalf * 0.95f)),
                P(waist + Scale(across, hipHalf * 0.95f)),
                P(person.HipCentre + Scale(across, hipHalf)),
                P(crotch + Scale(across, hipHalf * 0.6f)),
                P(crotch - Scale(across, hipHalf * 0.6f)),
                P(person.HipCentre - Scale(across, hipHalf)),
            ];
        }

        public IEnumerable<(Point From, Point To)> Arms =>
        [
            (P(person[Body.LeftShoulder]), P(person[Body.LeftElbow])),
            (P(person[Body.LeftElbow]), P(person[Body.LeftWrist])),
            (P(person[Body.RightShoulder]), P(person[Body.RightElbow])),
            (P(person[Body.RightElbow]), P(person[Body.RightWrist])),
        ];

        public IEnumerable<(Point From, Point To, bool Thigh)> Legs =>
        [
            (P(person[Body.LeftHip]), P(person[Body.LeftKnee]), true),
            (P(person[Body.LeftKnee]), P(person[Body.LeftAnkle]), false),
            (P(person[Body.RightHip]), P(person[Body.RightKnee]), true),
            (P(person[Body.RightKnee]), P(person[Body.RightAnkle]), false),
        ];

        public IEnumerable<(Point From, Point To)> SeenArmSegments =>
            new[] { (Body.LeftShoulder, Body.LeftElbow), (Body.LeftElbow, Body.LeftWrist), (Body.RightShoulder, Body.RightElbow), (Body.RightElbow, Body.RightWrist) }
                .Where(arm => person.Landmarks[arm.Item1].Visibility >= 0.5f && person.Landmarks[arm.Item2].Visibility >= 0.5f)
                .Select(arm => (P(person[arm.Item1]), P(person[arm.Item2])));

        public IEnumerable<(Point From, Point To)> SeenForearms =>
            new[] { (Body.LeftElbow, Body.LeftWrist), (Body.RightElbow, Body.RightWrist) }
                .Where(arm => person.Landmarks[arm.Item1].Visibility >= 0.5f && person.Landmarks[arm.Item2].Visibility >= 0.5f)
                .Select(arm => (P(person[arm.Item1]), P(person[arm.Item2])));

        /// <summary>
        /// The middle of each hand the model sees (between the wrist and the knuckles); an unseen one is a guess
        /// (astronaut.png's are placed on her chest) and would punch a hole in the garment.
        /// </summary>
        public IEnumerable<Point> SeenHands =>
            new[] { (Body.LeftWrist, Body.LeftIndex, Body.LeftPinky), (Body.RightWrist, Body.RightIndex, Body.RightPinky) }
                .Where(hand => person.Landmarks[hand.Item1].Visibility >= 0.5f)
                .Select(hand => P(PersonAnalysis.Mid(person[hand.Item1], PersonAnalysis.Mid(person[hand.Item2], person[hand.Item3]))));

        /// <summary>The rectangle <paramref name="thickness"/> wide from <paramref name="from"/> to <paramref name="to"/>.</summary>
        public static Point[] Band(Point from, Point to, int thickness)
        {
            var along = Unit(new SKPoint(to.X - from.X, to.Y - from.Y));
            var side = Scale(new SKPoint(-along.Y, along.X), thickness / 2f);
            var (a, b) = (new SKPoint(from.X, from.Y), new SKPoint(to.X, to.Y));
            return [P(a + side), P(b + side), P(b - side), P(a - side)];
        }

        private static SKPoint Scale(SKPoint vector, float length) => new(vector.X * length, vector.Y * length);

        private static SKPoint Unit(SKPoint vector)
        {
            var length = vector.Length;
            return length < 1e-3f ? new SKPoint(0, 1) : new SKPoint(vector.X / length, vector.Y / length);
        }

        private static Point P(SKPoint point) => new((int)Math.Round(point.X), (int)Math.Round(point.Y));
    }
}
