using OpenCvSharp;
using SkiaSharp;
using WearIt.TryonService.Engine.Vision;
using Cv = OpenCvSharp;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>
/// Uncovers the arms, the neck opening and (beside a sleeveless top or dress) the tops of the shoulders a new top or
/// dress leaves bare: where the old top shows on an arm the model sees (an old long sleeve below a new short one, old
/// sleeves beside a sleeveless dress), the arm's own width is painted as skin and
/// the rest of the old sleeve (a loose one stands off the arm) is filled from its surroundings. The skin's colour is
/// read off the person's own face; its light follows the photo's broad light there (not the old fabric's print). What
/// is skin already is left as it is, and nothing outside those zones changes.
/// </summary>
public static class OldClothes
{
    // How far (in Lab a/b units, OpenCV's 8-bit scale) a pixel's colour may lie from the face's and still be skin: the
    // face's own spread, widened, and never tighter than this.
    private const double MinChromaTolerance = 16;
    private const double SpreadTolerance = 3;
    // Skin is neither much darker nor much brighter than the face (shadowed arms and lit shoulders included).
    private const double MinLightness = 0.4;
    private const double MaxLightness = 2.0;
    // How much of the photo's broad light the painted skin takes.
    private const double LightStrength = 0.5;
    // A neck opening's shadows: right below the chin it takes this share of the light, lightening over this many
    // shoulder widths; along the garment's edge this share, over this many.
    private const float NeckShadow = 0.7f;
    private const float ChinShadowDepth = 0.2f;
    private const float EdgeShadow = 0.8f;
    private const float EdgeShadowWidth = 0.04f;

    /// <summary>
    /// Uncovers the old top's bare parts on <paramref name="result"/>; the pixels it changed, or empty.
    /// <paramref name="neckFull"/> is the layers' <see cref="NecklineZone"/>.
    /// </summary>
    public static SKRectI Uncover(SKBitmap result, PersonAnalysis person, IReadOnlyList<FittedGarment> layers, Mat neckFull)
    {
        if (!layers.Any(layer => layer.ClothType is "upper" or "dress"))
        {
            return SKRectI.Empty; // a bottom alone keeps the old top
        }

        var (zoneFull, armFull) = BodyRegions.BareArms(person);
        using (zoneFull)
        using (armFull)
        {
            // The neck opening becomes skin as a whole (a chest has no loose part to fill), and so do the tops of the
            // shoulders beside a sleeveless top or dress.
            Cv2.BitwiseOr(zoneFull, neckFull, zoneFull);
            Cv2.BitwiseOr(armFull, neckFull, armFull);
            if (layers.Any(layer => layer.ClothType is "upper" or "dress" && !layer.Sleeved))
            {
                using var tops = BodyRegions.ShoulderTops(person);
                Cv2.BitwiseOr(zoneFull, tops, zoneFull);
                Cv2.BitwiseOr(armFull, tops, armFull);
            }

            var bounds = Cv2.BoundingRect(zoneFull);
            if (bounds.Width == 0 || bounds.Height == 0)
            {
                return SKRectI.Empty;
            }

            using var rgba = VisionImages.Wrap(result);
            if (Skin.FromFace(rgba, person) is not { } faceSkin)
            {
                return SKRectI.Empty;
            }

            // Everything below works on the zone's bounding box only.
            using var window = new Mat(rgba, bounds);
            using var zone = new Mat(zoneFull, bounds);
            using var arm = new Mat(armFull, bounds);
            using var rgb = new Mat();
            Cv2.CvtColor(window, rgb, ColorConversionCodes.RGBA2RGB);
            using var lab = new Mat();
            Cv2.CvtColor(rgb, lab, ColorConversionCodes.RGB2Lab);
            using var old = OldClothesIn(lab, zone, faceSkin);
            // Inside the neck opening all of it is the old top's (a print's pale letters pass for skin): it is all painted.
            using var neck = new Mat(neckFull, bounds);
            Cv2.BitwiseOr(old, neck, old);
            if (Cv2.CountNonZero(old) == 0)
            {
                return SKRectI.Empty;
            }

            // The arm's width becomes skin; the loose rest of the sleeve is filled from around it (skin and background).
            using var paint = new Mat();
            Cv2.BitwiseAnd(old, arm, paint);
            using var fill = new Mat();
            Cv2.Subtract(old, paint, fill);
            using var light = BroadLight(lab, paint, person);
            // An arm's own skin, where some of it shows, is a better match than the face's (lit and tanned otherwise).
            using var seenSkin = new Mat();
            Cv2.BitwiseNot(old, seenSkin);
            Cv2.BitwiseAnd(seenSkin, arm, seenSkin);
            Cv2.Subtract(seenSkin, neck, seenSkin);
            var skin = faceSkin.Like(lab, seenSkin, minimum: (int)(0.05f * person.ShoulderWidth * person.ShoulderWidth));
            using var armPaint = new Mat();
            Cv2.Subtract(paint, neck, armPaint);
            using var neckPaint = new Mat();
            Cv2.BitwiseAnd(paint, neck, neckPaint);
            PaintSkin(rgb, armPaint, light, skin);
            using (var neckLight = NeckShade(light, neck, bounds, person))
            {
                PaintSkin(rgb, neckPaint, neckLight, faceSkin);
            }
            if (Cv2.CountNonZero(fill) > 0)
            {
                Cv2.Inpaint(rgb, fill, rgb, Math.Max(2, 0.03 * person.ShoulderWidth), InpaintTypes.Telea);
            }

            // Soft edges inside the zone only, so the head, hands and background beyond it stay exact.
            using var alpha = new Mat();
            old.ConvertTo(alpha, MatType.CV_32FC1, 1 / 255.0);
            Cv2.GaussianBlur(alpha, alpha, new Cv.Size(0, 0), 1.0);
            using var zoneAlpha = new Mat();
            zone.ConvertTo(zoneAlpha, MatType.CV_32FC1, 1 / 255.0);
            Cv2.Min(alpha, zoneAlpha, alpha);
            var changed = Blend(window, rgb, alpha);
            return changed.Width == 0 ? SKRectI.Empty : SKRectI.Create(changed.Left + bounds.X, changed.Top + bounds.Y, changed.Width, changed.Height);
        }
    }

    /// <summary>
    /// The pixels of <paramref name="zone"/> (0 or 255, the photo's size) that show clothes rather than the person's skin
    /// in <paramref name="image"/>, as a mask the photo's size; the whole zone where the face gives no skin to compare.
    /// <paramref name="lab"/> is the zone's bounding box of the image in Lab (<see cref="LabWindow"/>), when the caller
    /// has it already.
    /// </summary>
    public static Mat ClothesIn(SKBitmap image, PersonAnalysis person, Mat zone, Mat? lab = null)
    {
        var clothes = new Mat(zone.Size(), MatType.CV_8UC1, Cv.Scalar.All(0));
        var bounds = Cv2.BoundingRect(zone);
        if (bounds.Width == 0 || bounds.Height == 0)
        {
            return clothes;
        }

        using (var rgba = VisionImages.Wrap(image))
        {
            if (Skin.FromFace(rgba, person) is not { } skin)
            {
                zone.CopyTo(clothes);
                return clothes;
            }

            using var ownLab = lab is null ? LabWindow(image, bounds) : null;
            using var zoneWindow = new Mat(zone, bounds);
            using var old = OldClothesIn(lab ?? ownLab!, zoneWindow, skin);
            using var target = new Mat(clothes, bounds);
            old.CopyTo(target);
        }

        return clothes;
    }

    /// <summary>The <paramref name="bounds"/> of <paramref name="image"/> in Lab (OpenCV's 8-bit scale).</summary>
    public static Mat LabWindow(SKBitmap image, Rect bounds)
    {
        using var rgba = VisionImages.Wrap(image);
        using var window = new Mat(rgba, bounds);
        return VisionImages.ToLab(window);
    }

    /// <summary>
    /// Where a new top's or dress's neck opening leaves the old top bare (0 or 255, the photo's size): in each column
    /// between the shoulder joints, the body between the garment's top edge and the line joining that edge at the joints,
    /// below the head.
    /// </summary>
    public static Mat NecklineZone(PersonAnalysis person, IReadOnlyList<FittedGarment> layers)
    {
        // A garment cut out of a photo of someone wearing it has no neckline of its own to read (its top edge is where
        // the wearer's head hid it): it gets the neck opening the body's upper region leaves, and nothing of it is drawn
        // there (TryonCompositor), rather than its collar and the hole around the wearer's neck stretched up to the chin.
        if (layers.Any(layer => layer.Worn && layer.ClothType is "upper" or "dress"))
        {
            return BodyRegions.NeckOpening(person);
        }

        var zone = new Mat(person.Height, person.Width, MatType.CV_8UC1, Cv.Scalar.All(0));

        // Shoulder joints off the photo's edge are clamped to it.
        var (left, right) = (person[Body.LeftShoulder].X, person[Body.RightShoulder].X);
        var x0 = Math.Clamp((int)Math.Ceiling(Math.Min(left, right)), 0, person.Width - 1);
        var x1 = Math.Clamp((int)Math.Floor(Math.Max(left, right)), 0, person.Width - 1);
        var tops = Enumerable.Repeat(int.MaxValue, person.Width).ToArray();

        foreach (var fitted in layers.Where(layer => layer.ClothType is "upper" or "dress"))
        {
            var pixels = fitted.Layer.GetPixelSpan();
            var stride = fitted.Layer.RowBytes;
            for (var x = x0; x <= x1; x++)
            {
                for (var y = 0; y < Math.Min(tops[x], fitted.Layer.Height); y++)
                {
                    if (pixels[(y * stride) + (x * 4) + 3] >= 128)
                    {
                        tops[x] = y;
                        break;
                    }
                }
            }
        }

        // The opening is what dips below the line joining the garment's top edge at the two shoulder joints; above that
        // line is the neck (or a collar the head guard keeps).
        if (tops[x0] == int.MaxValue || tops[x1] == int.MaxValue || x1 <= x0)
        {
            return zone;
        }

        for (var x = x0; x <= x1; x++)
        {
            var line = (int)Math.Round(tops[x0] + ((tops[x1] - tops[x0]) * (x - x0) / (double)(x1 - x0)));
            if (tops[x] != int.MaxValue && tops[x] > line)
            {
                Cv2.Line(zone, new Cv.Point(x, line), new Cv.Point(x, tops[x] - 1), Cv.Scalar.All(255), 1, LineTypes.Link4);
            }
        }

        using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
        using var binary = new Mat();
        Cv2.Threshold(body, binary, 127, 255, ThresholdTypes.Binary);
        Cv2.BitwiseAnd(zone, binary, zone);
        BodyRegions.ClearHeadAndHands(zone, person);
        return zone;
    }

    /// <summary>The zone's pixels whose colour is not the face's skin, specks left out.</summary>
    private static Mat OldClothesIn(Mat lab, Mat zone, Skin skin)
    {
        var old = new Mat(lab.Size(), MatType.CV_8UC1, Cv.Scalar.All(0));
        var labRows = lab.AsRows<Vec3b>();
        var zoneRows = zone.AsRows<byte>();
        var oldRows = old.AsRows<byte>();
        var (width, height) = (lab.Cols, lab.Rows);
        for (var y = 0; y < height; y++)
        {
            var labRow = labRows[y];
            var zoneRow = zoneRows[y];
            var oldRow = oldRows[y];
            for (var x = 0; x < width; x++)
            {
                if (zoneRow[x] != 0 && !skin.Matches(labRow[x]))
                {
                    oldRow[x] = 255;
                }
            }
        }

        // A shadowed pore or a highlight on the skin is not clothes; a gap in a sleeve's print is.
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size(5, 5));
        Cv2.MorphologyEx(old, old, MorphTypes.Open, kernel);
        Cv2.MorphologyEx(old, old, MorphTypes.Close, kernel);
        Cv2.BitwiseAnd(old, zone, old);
        return old;
    }

    /// <summary>The photo's broad light over the painted pixels, relative to its mean there.</summary>
    private static Mat BroadLight(Mat lab, Mat painted, PersonAnalysis person)
    {
        using var lightness = new Mat();
        Cv2.ExtractChannel(lab, lightness, 0);
        var broad = new Mat();
        lightness.ConvertTo(broad, MatType.CV_32FC1, 1 / 255.0, 0.02);
        Cv2.GaussianBlur(broad, broad, new Cv.Size(0, 0), Math.Max(2, 0.15 * person.ShoulderWidth));
        var mean = Cv2.CountNonZero(painted) == 0 ? 1 : Math.Max(Cv2.Mean(broad, painted).Val0, 0.05);
        Cv2.Divide(broad, Cv.Scalar.All(mean), broad);
        Cv2.Pow(broad, LightStrength, broad);
        return broad;
    }

    /// <summary>
    /// The light over a neck opening: the photo's broad light, in the shadow the chin casts right below it (lightening
    /// over <see cref="ChinShadowDepth"/>) and the one the garment's edge casts along the opening (over
    /// <see cref="EdgeShadowWidth"/>). Lit by the photo alone, the opening painted over the astronaut's dark suit was one
    /// flat colour, a cut-out.
    /// </summary>
    private static Mat NeckShade(Mat light, Mat neck, Rect bounds, PersonAnalysis person)
    {
        using var inside = new Mat();
        Cv2.DistanceTransform(neck, inside, DistanceTypes.L2, DistanceTransformMasks.Mask3);
        var shaded = light.Clone();
        var (width, height) = (shaded.Cols, shaded.Rows);
        var edgeWidth = Math.Max(1f, EdgeShadowWidth * person.ShoulderWidth);
        var chinDepth = Math.Max(1f, ChinShadowDepth * person.ShoulderWidth);
        var shadedRows = shaded.AsRows<float>();
        var insideRows = inside.AsRows<float>();
        for (var y = 0; y < height; y++)
        {
            var chin = NeckShadow + ((1 - NeckShadow) * Math.Clamp((bounds.Y + y - person.ChinY) / chinDepth, 0f, 1f));
            var row = shadedRows[y];
            var distance = insideRows[y];
            for (var x = 0; x < width; x++)
            {
                row[x] *= chin * (EdgeShadow + ((1 - EdgeShadow) * Math.Min(1f, distance[x] / edgeWidth)));
            }
        }

        return shaded;
    }

    private static void PaintSkin(Mat rgb, Mat paint, Mat light, Skin skin)
    {
        // The skin colour at each of the 256 lightnesses, converted once.
        using var ramp = new Mat(1, 256, MatType.CV_8UC3);
        for (var l = 0; l < 256; l++)
        {
            ramp.Set(0, l, new Vec3b((byte)l, skin.A, skin.B));
        }

        using var colours = new Mat();
        Cv2.CvtColor(ramp, colours, ColorConversionCodes.Lab2RGB);
        var palette = new Vec3b[256];
        for (var l = 0; l < 256; l++)
        {
            palette[l] = colours.At<Vec3b>(0, l);
        }

        var rows = rgb.AsRows<Vec3b>();
        var paintRows = paint.AsRows<byte>();
        var lightRows = light.AsRows<float>();
        var (width, height) = (rgb.Cols, rgb.Rows);
        for (var y = 0; y < height; y++)
        {
            var row = rows[y];
            var paintRow = paintRows[y];
            var lightRow = lightRows[y];
            for (var x = 0; x < width; x++)
            {
                if (paintRow[x] != 0)
                {
                    row[x] = palette[(int)Math.Clamp(skin.L * lightRow[x], 0, 255)];
                }
            }
        }
    }

    /// <summary>Puts the uncovered pixels over the result by <paramref name="alpha"/>; the rectangle it changed.</summary>
    private static Rect Blend(Mat window, Mat uncovered, Mat alpha)
    {
        var rows = window.AsRows<Vec4b>();
        var sourceRows = uncovered.AsRows<Vec3b>();
        var alphaRows = alpha.AsRows<float>();
        var (width, height) = (window.Cols, window.Rows);
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            var row = rows[y];
            var source = sourceRows[y];
            var alphaRow = alphaRows[y];
            for (var x = 0; x < width; x++)
            {
                var a = alphaRow[x];
                if (a <= 0.004f)
                {
                    continue;
                }

                var under = row[x];
                var over = source[x];
                var blended = new Vec4b(
                    (byte)Math.Round((over.Item0 * a) + (under.Item0 * (1 - a))),
                    (byte)Math.Round((over.Item1 * a) + (under.Item1 * (1 - a))),
                    (byte)Math.Round((over.Item2 * a) + (under.Item2 * (1 - a))),
                    under.Item3);
                if (blended == under)
                {
                    continue;
                }

                row[x] = blended;
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }

        return right < 0 ? default : new Rect(left, top, right - left + 1, bottom - top + 1);
    }

    /// <summary>The person's skin as the face shows it: median lightness and chroma (OpenCV 8-bit Lab) and their spread.</summary>
    private sealed record Skin(byte L, byte A, byte B, double ToleranceA, double ToleranceB)
    {
        /// <summary>
        /// Read off the cheeks, nose and mouth: the face box's middle columns, from below the eyes to its bottom (the
        /// brows, eyes and hair left out). Null for a face box too small to read.
        /// </summary>
        public static Skin? FromFace(Mat rgba, PersonAnalysis person)
        {
            var face = person.Face;
            var box = SKRectI.Intersect(SKRectI.Round(new SKRect(
                face.Left + (face.Width * 0.25f), face.Top + (face.Height * 0.45f), face.Right - (face.Width * 0.25f), face.Bottom)),
                new SKRectI(0, 0, rgba.Cols, rgba.Rows));
            if (box.Width < 4 || box.Height < 4)
            {
                return null;
            }

            using var patch = new Mat(rgba, new Rect(box.Left, box.Top, box.Width, box.Height));
            using var rgb = new Mat();
            Cv2.CvtColor(patch, rgb, ColorConversionCodes.RGBA2RGB);
            using var lab = new Mat();
            Cv2.CvtColor(rgb, lab, ColorConversionCodes.RGB2Lab);
            var (ls, as_, bs) = (new List<byte>(), new List<byte>(), new List<byte>());
            for (var y = 0; y < box.Height; y++)
            {
                for (var x = 0; x < box.Width; x++)
                {
                    var pixel = lab.At<Vec3b>(y, x);
                    ls.Add(pixel.Item0);
                    as_.Add(pixel.Item1);
                    bs.Add(pixel.Item2);
                }
            }

            var (a, b) = (Median(as_), Median(bs));
            return new Skin(Median(ls), a, b,
                Math.Max(MinChromaTolerance, SpreadTolerance * 1.4826 * Median([.. as_.Select(v => (byte)Math.Abs(v - a))])),
                Math.Max(MinChromaTolerance, SpreadTolerance * 1.4826 * Median([.. bs.Select(v => (byte)Math.Abs(v - b))])));
        }

        /// <summary>
        /// This skin's tolerances with the median colour of <paramref name="where"/>'s pixels of <paramref name="lab"/>,
        /// or this skin itself where fewer than <paramref name="minimum"/> pixels are given.
        /// </summary>
        public Skin Like(Mat lab, Mat where, int minimum)
        {
            if (Cv2.CountNonZero(where) < Math.Max(16, minimum))
            {
                return this;
            }

            var (ls, as_, bs) = (new List<byte>(), new List<byte>(), new List<byte>());
            var labRows = lab.AsRows<Vec3b>();
            var whereRows = where.AsRows<byte>();
            var (width, height) = (lab.Cols, lab.Rows);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    if (whereRows[y][x] != 0)
                    {
                        var pixel = labRows[y][x];
                        ls.Add(pixel.Item0);
                        as_.Add(pixel.Item1);
                        bs.Add(pixel.Item2);
                    }
                }
            }

            return this with { L = Median(ls), A = Median(as_), B = Median(bs) };
        }

        public bool Matches(Vec3b pixel) =>
            Math.Abs(pixel.Item1 - A) <= ToleranceA
            && Math.Abs(pixel.Item2 - B) <= ToleranceB
            && pixel.Item0 >= L * MinLightness
            && pixel.Item0 <= Math.Min(255, L * MaxLightness);

        private static byte Median(List<byte> values)
        {
            values.Sort();
            return values[values.Count / 2];
        }
    }
}
