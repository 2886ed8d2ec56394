using SkiaSharp;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>
/// A garment warped onto the body: a layer the photo's size (premultiplied RGBA), transparent elsewhere.
/// <see cref="HangsAcross"/>, for a skirt or a dress, is the outline it hangs across between the legs (the hips' outer
/// points and the hem's corners), where it is drawn over the background too.
/// </summary>
public sealed record FittedGarment(string ClothType, SKBitmap Layer, IReadOnlyList<SKPoint>? HangsAcross = null) : IDisposable
{
    /// <summary>Cut out of a photo of someone wearing it: its top edge is where that person's neck was, not a neckline.</summary>
    public bool Worn { get; init; }

    /// <summary>A top or a dress with sleeves: it covers the shoulders.</summary>
    public bool Sleeved { get; init; }

    public bool HangsFree => HangsAcross is not null;

    public void Dispose() => Layer.Dispose();
}

/// <summary>
/// Warps a garment onto the body: the torso (or a dress, or a skirt) by a thin-plate spline from the garment's key
/// points to the body's, each sleeve and trouser leg as a strip along its limb's bones and to the limb's width. The
/// garment keeps its own proportions (scaled so its shoulders, or its waistband, span the body's); the seed moves the
/// fit a little, so "try again" gives another.
/// </summary>
public static class GarmentFitter
{
    // Proportions in shoulder widths (the distance between the shoulder joints), from adult bodies: shoulder seams sit
    // about 12 % outside the joints, an upper arm is ~0.34 across and a forearm ~0.28, a thigh ~0.5 and a shin ~0.34,
    // the pelvis outline spans ~1.05. Checked against the landmarks on astronaut.png and messi5.jpg.
    private const float ShoulderSeamOut = 0.12f;
    private const float ShoulderSeamLift = 0.06f;
    private const float UpperArm = 0.34f;
    private const float Forearm = 0.28f;
    private const float Thigh = 0.5f;
    private const float Shin = 0.34f;
    private const float PelvisHalf = 0.54f;
    private const float LooseFit = 1.08f;
    private const float MinVisibility = 0.5f;
    private const int StripSegments = 12;
    // From the shoulder seam, a top reaches at most 1.3 torso lengths (shoulders to hips): the top of the thighs.
    private const float MaxTopLength = 1.3f;
    // A neckline sits at the base of the neck: its sides no higher than the chin, its front 0.25 face-box heights below
    // it (higher floors left messi5.jpg's bowed head with his old collar showing).
    private const float NeckSide = 0f;
    private const float NeckFront = 0.25f;
    // The torso is cut from its sleeves this share of the shoulders' span outside the neck-shoulder-armpit line.
    private const float SeamMargin = 0.04f;
    // A hem stretched between the knees sags in the middle by this share of the distance between them.
    private const float HemSag = 0.3f;

    public static FittedGarment Fit(PersonAnalysis person, GarmentAnalysis garment, Random seed)
    {
        var layer = new SKBitmap(new SKImageInfo(person.Width, person.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        layer.Erase(SKColors.Transparent);
        using (var canvas = new SKCanvas(layer))
        using (var cutout = SKImage.FromBitmap(garment.Cutout))
        {
            var frame = new BodyFrame(person, 1f + ((float)(seed.NextDouble() - 0.5) * 0.06f), (float)(seed.NextDouble() - 0.5) * 0.04f);
            var hangsAcross = garment.ClothType switch
            {
                "lower" => FitBottom(canvas, cutout, frame, garment),
                _ => FitTop(canvas, cutout, frame, garment),
            };
            return new FittedGarment(garment.ClothType, layer, hangsAcross)
            {
                Worn = garment.Worn,
                Sleeved = garment.ClothType != "lower" && (garment.SleeveLeft is not null || garment.SleeveRight is not null),
            };
        }
    }

    /// <summary>Draws a top or a dress; returns, for a dress, the outline it hangs across between the legs.</summary>
    private static IReadOnlyList<SKPoint>? FitTop(SKCanvas canvas, SKImage cutout, BodyFrame body, GarmentAnalysis garment)
    {
        var isDress = garment.ClothType == "dress";
        var shoulderCentre = PersonAnalysis.Mid(garment.ShoulderLeft, garment.ShoulderRight);
        var scale = body.ShoulderWidth * (1 + (2 * ShoulderSeamOut)) / Math.Max(1, SKPoint.Distance(garment.ShoulderLeft, garment.ShoulderRight)) * body.Slack;
        var seam = body.ShoulderSeamCentre(ShoulderSeamLift);
        var hemCentre = PersonAnalysis.Mid(garment.HemLeft, garment.HemRight);
        // A top ends by the top of the thighs, whatever the drawing's proportions (the catalog's tees and hoodies are
        // drawn long): its length is squeezed, never its width. A dress keeps its length.
        var length = (hemCentre.Y - shoulderCentre.Y) * scale;
        var squeeze = isDress ? 1f : Math.Min(1f, MaxTopLength * body.TopTorsoLength / Math.Max(length, 1f));
        var similar = body.Similarity(shoulderCentre, seam, scale, scale * squeeze);
        // The garment goes on level: each left and right point at the height of their middle. A shirt cut out of a
        // wearer who raised an arm has that side's shoulder higher (messi5.jpg's by 13 degrees), and its shoulder rose
        // above the new wearer's in a hump; a flat lay's points are level already.
        var (neckLeft, neckRight) = Level(garment.NeckLeft, garment.NeckRight, similar);
        var (shoulderLeft, shoulderRight) = Level(garment.ShoulderLeft, garment.ShoulderRight, similar);
        var (armpitLeft, armpitRight) = Level(garment.ArmpitLeft, garment.ArmpitRight, similar);
        var (waistLeft, waistRight) = Level(garment.WaistLeft, garment.WaistRight, similar);
        var (hemLeft, hemRight) = Level(garment.HemLeft, garment.HemRight, similar);

        var pairs = new List<(SKPoint Garment, SKPoint Body)>
        {
            (garment.NeckLeft, body.BelowChin(neckLeft, NeckSide)),
            (garment.NeckRight, body.BelowChin(neckRight, NeckSide)),
            (garment.NeckCentre, body.BelowChin(similar(garment.NeckCentre), NeckFront)),
            (garment.ShoulderLeft, body.AtSide(shoulderLeft, -(0.5f + ShoulderSeamOut))),
            (garment.ShoulderRight, body.AtSide(shoulderRight, 0.5f + ShoulderSeamOut)),
            (garment.ArmpitLeft, body.Widened(armpitLeft, 0.55f * LooseFit)),
            (garment.ArmpitRight, body.Widened(armpitRight, 0.55f * LooseFit)),
        };
        IReadOnlyList<SKPoint>? hangsAcross = null;
        if (isDress)
        {
            // A dress's skirt falls along the thighs (a lunge spreads it between the knees), as a skirt's does.
            var hem = body.HangingHem(similar(hemCentre), SKPoint.Distance(garment.HemLeft, garment.HemRight) * scale);
            pairs.Add((garment.HemLeft, hem.Right));
            pairs.Add((garment.HemRight, hem.Left));
            pairs.Add((hemCentre, hem.Centre));
            pairs.Add((garment.WaistLeft, body.Widened(waistLeft, 0.46f * LooseFit)));
            pairs.Add((garment.WaistRight, body.Widened(waistRight, 0.46f * LooseFit)));
            hangsAcross = hem.Outline;
        }
        else
        {
            pairs.Add((garment.HemLeft, body.Widened(hemLeft, PelvisHalf * LooseFit)));
            pairs.Add((garment.HemRight, body.Widened(hemRight, PelvisHalf * LooseFit)));
            pairs.Add((hemCentre, similar(hemCentre)));
        }

        var spline = new ThinPlateSpline([.. pairs.Select(pair => pair.Garment)], [.. pairs.Select(pair => pair.Body)]);

        // Sleeves first: the torso then covers their roots, as a set-in sleeve's seam does.
        DrawSleeve(canvas, cutout, body, garment.SleeveLeft, spline, scale, rightSide: true);
        DrawSleeve(canvas, cutout, body, garment.SleeveRight, spline, scale, rightSide: false);
        var left = isDress ? 0 : Math.Min(garment.ArmpitLeft.X, garment.ShoulderLeft.X) - 2;
        var right = isDress ? cutout.Width : Math.Max(garment.ArmpitRight.X, garment.ShoulderRight.X) + 2;
        using (var torso = TorsoOf(garment))
        {
            MeshWarp.DrawGrid(canvas, torso, new SKRect(left, 0, right, cutout.Height), 12, 16, spline.Map);
        }

        // Forearms the model sees are in front of the torso (arms behind the back are hidden): the body shows through
        // them, and where a sleeve reaches one, the sleeve lies over it again.
        body.ClearForearms(canvas);
        using var forearms = body.ForearmsPath();
        canvas.Save();
        canvas.ClipPath(forearms, SKClipOperation.Intersect, antialias: true);
        DrawSleeve(canvas, cutout, body, garment.SleeveLeft, spline, scale, rightSide: true);
        DrawSleeve(canvas, cutout, body, garment.SleeveRight, spline, scale, rightSide: false);
        canvas.Restore();
        return hangsAcross;
    }

    /// <summary>Draws trousers, shorts or a skirt; returns, for a skirt, the outline it hangs across between the legs.</summary>
    private static IReadOnlyList<SKPoint>? FitBottom(SKCanvas canvas, SKImage cutout, BodyFrame body, GarmentAnalysis garment)
    {
        var waistCentre = PersonAnalysis.Mid(garment.WaistLeft, garment.WaistRight);
        var scale = 2 * PelvisHalf * body.ShoulderWidth * LooseFit / Math.Max(1, SKPoint.Distance(garment.WaistLeft, garment.WaistRight)) * body.Slack;
        var place = body.Similarity(waistCentre, body.Waist, scale);
        if (garment.LegLeft is { } legLeft && garment.LegRight is { } legRight && garment.Crotch is { } crotch)
        {
            // The seat first, waistband to crotch, by a spline onto the pelvis; then each leg along its bones over it.
            var seatBottom = crotch.Y + (0.04f * cutout.Height);
            var hipLeft = new SKPoint(garment.WaistLeft.X, crotch.Y);
            var hipRight = new SKPoint(garment.WaistRight.X, crotch.Y);
            var seat = new ThinPlateSpline(
                [garment.WaistLeft, garment.WaistRight, waistCentre, crotch, hipLeft, hipRight],
                [place(garment.WaistLeft), place(garment.WaistRight), place(waistCentre), body.Crotch,
                 body.Widened(body.AtHips(place(hipLeft)), PelvisHalf * LooseFit), body.Widened(body.AtHips(place(hipRight)), PelvisHalf * LooseFit)]);
            MeshWarp.DrawGrid(canvas, cutout, new SKRect(garment.WaistLeft.X, 0, garment.WaistRight.X, seatBottom), 8, 6, seat.Map);
            DrawLeg(canvas, cutout, body, legLeft, place, scale, rightSide: true);
            DrawLeg(canvas, cutout, body, legRight, place, scale, rightSide: false);
            body.ClearForearms(canvas);
            return null;
        }

        // A skirt: one spline from the waistband over the hips to a hem that falls along the thighs: as far down them as
        // the skirt reaches below the hips on an upright body, so a lunge spreads it between the knees rather than
        // hanging it to the ground.
        var hemCentre = PersonAnalysis.Mid(garment.HemLeft, garment.HemRight);
        var hem = body.HangingHem(place(hemCentre), SKPoint.Distance(garment.HemLeft, garment.HemRight) * scale);
        var hipShare = Math.Clamp(body.DropBelowWaistToHips / Math.Max(1f, (hemCentre.Y - waistCentre.Y) * scale), 0f, 0.9f);
        var (skirtHipLeft, skirtHipRight) = (Lerp(garment.WaistLeft, garment.HemLeft, hipShare), Lerp(garment.WaistRight, garment.HemRight, hipShare));
        var spline = new ThinPlateSpline(
            [garment.WaistLeft, garment.WaistRight, waistCentre, skirtHipLeft, skirtHipRight, garment.HemLeft, garment.HemRight, hemCentre],
            [place(garment.WaistLeft), place(garment.WaistRight), place(waistCentre),
             body.Widened(body.AtHips(place(skirtHipLeft)), PelvisHalf * LooseFit), body.Widened(body.AtHips(place(skirtHipRight)), PelvisHalf * LooseFit),
             hem.Right, hem.Left, hem.Centre]);
        MeshWarp.DrawGrid(canvas, cutout, new SKRect(0, 0, cutout.Width, cutout.Height), 10, 14, spline.Map);
        body.ClearForearms(canvas);
        return hem.Outline;
    }

    /// <summary>
    /// The cut-out without what lies outside the line from each side of the neck over the shoulder to the armpit, above
    /// the armpit: the sleeves, which are drawn along the arms. A sleeve raised above the shoulder (messi5.jpg's right
    /// arm) was otherwise also carried by the torso's spline, and stood above the new wearer's shoulder.
    /// </summary>
    private static SKImage TorsoOf(GarmentAnalysis garment)
    {
        var cutout = garment.Cutout;
        using var torso = new SKBitmap(cutout.Info);
        using (var canvas = new SKCanvas(torso))
        {
            canvas.Clear(SKColors.Transparent);
            canvas.DrawBitmap(cutout, 0, 0);
            // A few per cent of the shoulders' span outside the line: the shoulder's curve and its antialiased edge stay.
            var margin = SeamMargin * SKPoint.Distance(garment.ShoulderLeft, garment.ShoulderRight);
            using var eraser = new SKPaint { BlendMode = SKBlendMode.Clear, IsAntialias = true };
            foreach (var (neck, shoulder, armpit, outward, edge) in new[]
            {
                (garment.NeckLeft, garment.ShoulderLeft, garment.ArmpitLeft, -1f, -1f),
                (garment.NeckRight, garment.ShoulderRight, garment.ArmpitRight, 1f, cutout.Width + 1f),
            })
            {
                using var wedge = new SKPath();
                wedge.MoveTo(edge, -1);
                wedge.LineTo(neck.X + (outward * margin), -1);
                wedge.LineTo(neck.X + (outward * margin), neck.Y - margin);
                wedge.LineTo(shoulder.X + (outward * margin), shoulder.Y - margin);
                wedge.LineTo(armpit.X + (outward * margin), armpit.Y);
                wedge.LineTo(edge, armpit.Y);
                wedge.Close();
                canvas.DrawPath(wedge, eraser);
            }
        }

        return SKImage.FromBitmap(torso);
    }

    private static void DrawSleeve(SKCanvas canvas, SKImage cutout, BodyFrame body, SleeveShape? sleeve, ThinPlateSpline spline, float scale, bool rightSide)
    {
        if (sleeve is null)
        {
            return;
        }

        var arm = body.Arm(rightSide, spline.Map(sleeve.Root));
        var length = Math.Min(sleeve.Length * scale, arm.Length * 1.02f);
        DrawStrip(canvas, cutout, sleeve.Root, sleeve.End, sleeve.RootWidth, sleeve.EndWidth, arm, length,
            t => Math.Max(Lerp(sleeve.RootWidth, sleeve.EndWidth, t) * scale, body.ShoulderWidth * Lerp(UpperArm, Forearm, arm.ElbowShare(t * length)) * LooseFit));
    }

    private static void DrawLeg(SKCanvas canvas, SKImage cutout, BodyFrame body, LegShape leg, Func<SKPoint, SKPoint> place, float scale, bool rightSide)
    {
        var path = body.Leg(rightSide, place(leg.Top));
        var length = Math.Min(leg.Length * scale, path.Length * 1.02f);
        DrawStrip(canvas, cutout, leg.Top, leg.Hem, leg.TopWidth, leg.HemWidth, path, length,
            t => Math.Max(Lerp(leg.TopWidth, leg.HemWidth, t) * scale, body.ShoulderWidth * Lerp(Thigh, Shin, path.ElbowShare(t * length)) * LooseFit));
    }

    /// <summary>Maps the band from <paramref name="start"/> to <paramref name="end"/> of the cut-out along a limb's path.</summary>
    private static void DrawStrip(SKCanvas canvas, SKImage cutout, SKPoint start, SKPoint end, float startWidth, float endWidth, LimbPath path, float length, Func<float, float> bodyWidth)
    {
        var axis = end - start;
        var direction = new SKPoint(axis.X / axis.Length, axis.Y / axis.Length);
        var normal = new SKPoint(-direction.Y, direction.X);
        var texture = new SKPoint[(StripSegments + 1) * 2];
        var positions = new SKPoint[(StripSegments + 1) * 2];
        for (var i = 0; i <= StripSegments; i++)
        {
            var t = (float)i / StripSegments;
            var centre = start + new SKPoint(axis.X * t, axis.Y * t);
            var half = Lerp(startWidth, endWidth, t) / 2;
            texture[i * 2] = centre - new SKPoint(normal.X * half, normal.Y * half);
            texture[(i * 2) + 1] = centre + new SKPoint(normal.X * half, normal.Y * half);

            var (point, tangent) = path.At(t * length);
            var bodyNormal = new SKPoint(-tangent.Y, tangent.X);
            var bodyHalf = bodyWidth(t) / 2;
            positions[i * 2] = point - new SKPoint(bodyNormal.X * bodyHalf, bodyNormal.Y * bodyHalf);
            positions[(i * 2) + 1] = point + new SKPoint(bodyNormal.X * bodyHalf, bodyNormal.Y * bodyHalf);
        }

        MeshWarp.Draw(canvas, cutout, texture, positions, 1, StripSegments);
    }

    /// <summary>A garment's left and right point placed on the body as if they were at the height of their middle.</summary>
    private static (SKPoint Left, SKPoint Right) Level(SKPoint left, SKPoint right, Func<SKPoint, SKPoint> place)
    {
        var middle = (left.Y + right.Y) / 2;
        return (place(new SKPoint(left.X, middle)), place(new SKPoint(right.X, middle)));
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    private static SKPoint Lerp(SKPoint a, SKPoint b, float t) => new(Lerp(a.X, b.X, t), Lerp(a.Y, b.Y, t));

    /// <summary>The body's axes and measures, taken from the landmarks.</summary>
    private sealed class BodyFrame
    {
        private readonly PersonAnalysis _person;
        private readonly SKPoint _across;
        private readonly SKPoint _down;

        public BodyFrame(PersonAnalysis person, float slack, float shift)
        {
            _person = person;
            _across = Unit(person[Body.LeftShoulder] - person[Body.RightShoulder]);
            _down = Unit(person.HipCentre - person.ShoulderCentre);
            ShoulderWidth = Math.Max(person.ShoulderWidth, 4f);
            Slack = slack;
            Shift = shift * person.TorsoLength;
        }

        public float ShoulderWidth { get; }

        /// <summary>The seed's looseness (a few per cent either way) and its shift along the body.</summary>
        public float Slack { get; }

        private float Shift { get; }

        /// <summary>Erases the seen forearms (elbow to wrist) from what is drawn so far.</summary>
        public void ClearForearms(SKCanvas canvas)
        {
            using var forearms = ForearmsPath();
            using var eraser = new SKPaint { BlendMode = SKBlendMode.Clear, IsAntialias = true };
            canvas.DrawPath(forearms, eraser);
        }

        /// <summary>The outline of the forearms the model sees: capsules from elbow to wrist, a forearm wide.</summary>
        public SKPath ForearmsPath()
        {
            using var bones = new SKPath();
            foreach (var (elbow, wrist) in new[] { (Body.LeftElbow, Body.LeftWrist), (Body.RightElbow, Body.RightWrist) })
            {
                if (_person.Landmarks[elbow].Visibility >= MinVisibility && _person.Landmarks[wrist].Visibility >= MinVisibility)
                {
                    bones.MoveTo(_person[elbow]);
                    bones.LineTo(_person[wrist]);
                }
            }

            using var stroke = new SKPaint { Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeWidth = Forearm * ShoulderWidth };
            var outline = new SKPath();
            stroke.GetFillPath(bones, outline);
            return outline;
        }

        /// <summary>
        /// The point, lowered towards <paramref name="faceHeights"/> face-box heights below the chin, by a tenth of the
        /// shoulder width at most: a bowed head's chin is below the shoulder line (messi5.jpg), and lowering the neckline
        /// all the way bared his old collar; the head guard keeps the chin in front anyway.
        /// </summary>
        public SKPoint BelowChin(SKPoint point, float faceHeights) =>
            new(point.X, Math.Max(point.Y, Math.Min(_person.ChinY + (faceHeights * _person.Face.Height), point.Y + (0.1f * ShoulderWidth))));

        /// <summary>How far the hip joints are below the waist, along the body.</summary>
        public float DropBelowWaistToHips => Dot(_person.HipCentre - Waist, _down);

        /// <summary>
        /// Where a hanging hem falls, given where it would be on an upright body (<paramref name="upright"/>, placed
        /// straight down the body) and its width: each corner as far along its thigh as the hem reaches below the hips
        /// (past the knee, straight down), so a thigh the photo foreshortens shortens the skirt with it; the hem spans
        /// the two points plus half a thigh on each side, or its own width if it is wider. Also the outline the garment
        /// hangs across: the hips' outer points and the hem's corners.
        /// </summary>
        public (SKPoint Right, SKPoint Left, SKPoint Centre, IReadOnlyList<SKPoint> Outline) HangingHem(SKPoint upright, float hemWidth)
        {
            var drop = Dot(upright - _person.HipCentre, _down);
            SKPoint AlongThigh(int hip, int knee)
            {
                var thigh = _person[knee] - _person[hip];
                // An upright thigh (hip joint to knee) is about 0.9 of the torso; the photo shows it shorter when it is
                // foreshortened, never longer.
                var length = Math.Max(0.9f * _person.TorsoLength, thigh.Length);
                var share = Math.Min(1f, drop / Math.Max(length, 1f));
                return share <= 1
                    ? _person[hip] + new SKPoint(thigh.X * Math.Max(share, 0), thigh.Y * Math.Max(share, 0))
                    : _person[knee] + Along(_down, (share - 1) * length);
            }

            var right = AlongThigh(Body.RightHip, Body.RightKnee);
            var left = AlongThigh(Body.LeftHip, Body.LeftKnee);
            var span = left - right;
            var outward = span.Length < 1e-3f ? _across : Unit(span);
            var half = Math.Max(0.5f * Thigh * LooseFit * ShoulderWidth, (hemWidth - span.Length) / 2);
            var (hemRight, hemLeft) = (right - Along(outward, half), left + Along(outward, half));
            // Stretched between knees set apart, the cloth sags in the middle (and covers what was worn between them).
            var centre = PersonAnalysis.Mid(hemRight, hemLeft) + Along(_down, HemSag * span.Length);
            var hipHalf = PelvisHalf * LooseFit * ShoulderWidth;
            return (hemRight, hemLeft, centre,
                [_person.HipCentre - Along(_across, hipHalf), _person.HipCentre + Along(_across, hipHalf), hemLeft, centre, hemRight]);
        }

        /// <summary>Where a trouser seam meets between the legs: a fifth of a torso below the hip joints.</summary>
        public SKPoint Crotch => _person.HipCentre + Along(_down, 0.2f * _person.TorsoLength);

        /// <summary>The point moved along the body to the height of the hip joints.</summary>
        public SKPoint AtHips(SKPoint point) => point + Along(_down, Dot(_person.HipCentre - point, _down));

        public SKPoint Waist => _person.ShoulderCentre + Along(_down, (0.8f * _person.TorsoLength) + Shift);

        public SKPoint ShoulderSeamCentre(float lift) => _person.ShoulderCentre - Along(_down, (lift * ShoulderWidth) - Shift);

        /// <summary>Garment pixels to body pixels, keeping the garment's shape: its x along the shoulders, its y down the body.</summary>
        public Func<SKPoint, SKPoint> Similarity(SKPoint garmentAnchor, SKPoint bodyAnchor, float scale, float? lengthScale = null) =>
            point => bodyAnchor + Along(_across, (point.X - garmentAnchor.X) * scale) + Along(_down, (point.Y - garmentAnchor.Y) * (lengthScale ?? scale));

        public float TopTorsoLength => _person.TopTorsoLength;

        /// <summary>The point moved across the body so it is at least <paramref name="halfWidths"/> shoulder widths from the centre line.</summary>
        public SKPoint Widened(SKPoint point, float halfWidths)
        {
            var offset = Dot(point - _person.ShoulderCentre, _across);
            var wanted = halfWidths * ShoulderWidth;
            return Math.Abs(offset) >= wanted ? point : point + Along(_across, (Math.Sign(offset == 0 ? 1 : offset) * wanted) - offset);
        }

        /// <summary>The point moved across the body to exactly <paramref name="halfWidths"/> shoulder widths (negative: the photo's left).</summary>
        public SKPoint AtSide(SKPoint point, float halfWidths) =>
            point + Along(_across, (halfWidths * ShoulderWidth) - Dot(point - _person.ShoulderCentre, _across));

        /// <summary>The arm from the sleeve's root through the elbow to the wrist; a hanging arm is assumed where the model is unsure.</summary>
        public LimbPath Arm(bool subjectRight, SKPoint root)
        {
            var (shoulder, elbow, wrist) = subjectRight
                ? (Body.RightShoulder, Body.RightElbow, Body.RightWrist)
                : (Body.LeftShoulder, Body.LeftElbow, Body.LeftWrist);
            var outward = subjectRight ? -1f : 1f;
            var joint = _person.ShoulderCentre + Along(_across, outward * 0.5f * ShoulderWidth);
            var upper = 0.62f * _person.TorsoLength;
            // An arm the model cannot see is taken to hang beside the torso, just outside it.
            var elbowPoint = _person.Landmarks[elbow].Visibility >= MinVisibility
                ? _person[elbow]
                : joint + Along(_down, upper) + Along(_across, outward * 0.12f * ShoulderWidth);
            var wristPoint = _person.Landmarks[wrist].Visibility >= MinVisibility && _person.Landmarks[elbow].Visibility >= MinVisibility
                ? _person[wrist]
                : elbowPoint + Along(Unit(elbowPoint - joint), upper * 0.9f);
            return new LimbPath([root, elbowPoint, wristPoint]);
        }

        public LimbPath Leg(bool subjectRight, SKPoint top)
        {
            var (knee, ankle) = subjectRight ? (Body.RightKnee, Body.RightAnkle) : (Body.LeftKnee, Body.LeftAnkle);
            return new LimbPath([top, _person[knee], _person[ankle]]);
        }

        private static SKPoint Along(SKPoint unit, float length) => new(unit.X * length, unit.Y * length);

        private static float Dot(SKPoint a, SKPoint b) => (a.X * b.X) + (a.Y * b.Y);

        private static SKPoint Unit(SKPoint vector)
        {
            var length = vector.Length;
            return length < 1e-3f ? new SKPoint(0, 1) : new SKPoint(vector.X / length, vector.Y / length);
        }
    }
}
