using OpenCvSharp;
using SkiaSharp;
using WearIt.TryonService.Engine.Vision;
using Cv = OpenCvSharp;

namespace WearIt.TryonService.Engine.Fitting;

/// <summary>
/// Puts fitted garments on the photo: the old top's arms and neckline the new garments leave bare are uncovered as
/// skin (<see cref="OldClothes"/>), each layer is extended over the part of its body region it leaves bare and over
/// the old clothes still showing around it (so the old clothes do not show), shaded with the photo's own light (folds,
/// shadows, highlights), kept off the face, hair and hands and within a small margin of the body, feathered, and
/// blended. Pixels no layer touches stay exactly the photo's.
/// </summary>
public static class TryonCompositor
{
    // Shading: the photo's local luminance over its broad luminance carries folds; the broad luminance over the
    // region's mean carries the light falloff. Exponents and limits chosen on astronaut.png and messi5.jpg.
    private const double FoldStrength = 0.6;
    private const double LightStrength = 0.3;
    private const double MinShade = 0.6;
    private const double MaxShade = 1.3;
    // A print: local chroma this far (Lab a/b, OpenCV's 8-bit scale) from the chroma a tenth of a shoulder width around.
    private const double PrintChroma = 8;
    private const double PrintScale = 0.1;
    // A garment may reach this many shoulder widths past the person mask (its edge is soft); the contact sheet's spill
    // measure stayed over 3 % with 0.03.
    private const float BodyMargin = 0.01f;
    // A skirt or a dress bridges gaps in the body this many shoulder widths across (between the thighs).
    private const float HangingBridge = 0.2f;
    // The garment is carried at most this many shoulder widths sideways over old clothes (further, it smears).
    private const float MaxExtension = 0.35f;
    // A garment's rim, in shoulder widths: a drawing's outline (about 9 px on astronaut.png at 1024 px) or the ragged edge
    // of a cut-out, left out where the garment is carried on past it.
    private const float Rim = 0.03f;
    // Old clothes around a top are covered this many shoulder widths from it at most, where their colour (Lab a, b in
    // PaletteBins x PaletteBins bins) makes up at least PaletteShare of what the garment covers.
    private const float MaxCover = 0.45f;
    private const int PaletteBins = 32;
    private const double PaletteShare = 0.002;

    public static (SKBitmap Result, IReadOnlyList<SKRectI> Regions) Compose(SKBitmap photo, PersonAnalysis person, IReadOnlyList<FittedGarment> layers)
    {
        var result = photo.Copy(SKColorType.Rgba8888) ?? throw new InvalidOperationException("The photo cannot be copied.");
        using var shade = Shading(photo, person);
        using var keep = Keep(person, hangsAcross: null);
        var regions = new List<SKRectI>();
        // First the old top's parts the new garments leave bare become skin; then the garments go on. What was uncovered
        // counts to the top's (or dress's) own region: it is part of putting that garment on.
        using var neckline = OldClothes.NecklineZone(person, layers);
        var uncovered = OldClothes.Uncover(result, person, layers, neckline);

        foreach (var fitted in layers)
        {
            using var layer = VisionImages.Wrap(fitted.Layer);
            if (fitted.Worn && fitted.ClothType is "upper" or "dress")
            {
                layer.SetTo(Cv.Scalar.All(0), neckline); // premultiplied: transparent
            }

            using var region = VisionImages.FromMask(person.RegionFor(fitted.ClothType, fitted.HangsFree), person.Width, person.Height);
            Extend(layer, region, (int)Math.Ceiling(MaxExtension * person.ShoulderWidth), Math.Max(1, (int)Math.Round(Rim * person.ShoulderWidth)));
            if (fitted.ClothType is "upper" or "dress")
            {
                using var zone = BodyRegions.TorsoZone(person, shoulders: fitted.Sleeved);
                Cover(layer, photo, person, zone, neckline);
            }
            else if (!fitted.HangsFree)
            {
                // Trousers cover the old shorts' loose legs and seat wherever they show around them.
                using var zone = BodyRegions.HipsZone(person);
                Cover(layer, photo, person, zone, keepOut: null);
            }

            using var keepHanging = fitted.HangsAcross is { } outline ? Keep(person, outline) : null;
            Apply(layer, shade, keepHanging ?? keep);
            var bounds = Blend(result, fitted.Layer);
            if (!uncovered.IsEmpty && fitted.ClothType is "upper" or "dress")
            {
                bounds = bounds.IsEmpty ? uncovered : SKRectI.Union(bounds, uncovered);
                uncovered = SKRectI.Empty;
            }

            if (!bounds.IsEmpty)
            {
                regions.Add(bounds);
            }
        }

        return (result, regions);
    }

    /// <summary>
    /// Carries the garment sideways over the region's bare pixels, row by row, mirrored at its edge (a stripe or a print
    /// goes on as a reflection; past the garment's far side, or where it is transparent, the last colour carried goes
    /// on): where the old clothes are wider than the new garment they are painted over, up to <paramref name="reach"/>
    /// pixels, from <paramref name="rim"/> pixels inside its edge. Copying the edge colour alone smeared a striped shirt
    /// into streaks, one colour per row. Pixels inside the garment's span (its neck opening) and rows it does not reach
    /// are left alone.
    /// </summary>
    private static void Extend(Mat layer, Mat region, int reach, int rim)
    {
        var (width, height) = (layer.Cols, layer.Rows);
        var layerRows = layer.AsRows<Vec4b>();
        var regionRows = region.AsRows<byte>();
        for (var y = 0; y < height; y++)
        {
            var row = layerRows[y];
            var allowed = regionRows[y];
            int left = -1, right = -1;
            for (var x = 0; x < width; x++)
            {
                if (row[x].Item3 >= 128)
                {
                    left = left < 0 ? x : left;
                    right = x;
                }
            }

            if (left < 0)
            {
                continue;
            }

            // Where the garment is carried on, its rim (a drawing's outline, a cut-out's ragged edge) would stay inside it
            // as a line: the carrying starts that far inside the edge.
            if (left > 0 && allowed[left - 1] != 0)
            {
                var start = Math.Min(left + rim, right);
                var colour = Opaque(row[start].Item3 >= 128 ? row[start] : row[left]);
                for (var x = start - 1; x >= Math.Max(0, left - reach) && (x >= left || allowed[x] != 0); x--)
                {
                    var mirror = start + (start - x);
                    colour = mirror <= right && row[mirror].Item3 >= 128 ? Opaque(row[mirror]) : colour;
                    row[x] = x >= left ? colour : Blend(row[x], colour);
                }
            }

            if (right < width - 1 && allowed[right + 1] != 0)
            {
                var start = Math.Max(right - rim, left);
                var colour = Opaque(row[start].Item3 >= 128 ? row[start] : row[right]);
                for (var x = start + 1; x < Math.Min(width, right + 1 + reach) && (x <= right || allowed[x] != 0); x++)
                {
                    var mirror = start - (x - start);
                    colour = mirror >= left && row[mirror].Item3 >= 128 ? Opaque(row[mirror]) : colour;
                    row[x] = x <= right ? colour : Blend(row[x], colour);
                }
            }
        }
    }

    /// <summary>
    /// Covers what the old clothes still show around a new garment: every pixel of <paramref name="zone"/> the photo
    /// shows as clothes rather than skin, in the colours of what the garment covers (the old clothes), within
    /// <see cref="MaxCover"/> of the garment and outside <paramref name="keepOut"/>, is filled with the garment itself,
    /// mirrored at its nearest edge (and its rim there with it): the gaps where a sleeve meets the body, a shoulder line
    /// below a raised shoulder's outline, an old collar beside the neck, old shorts' legs around trousers. The garment's
    /// neck opening (kept out) and the person's skin stay as they are.
    /// </summary>
    private static void Cover(Mat layer, SKBitmap photo, PersonAnalysis person, Mat zone, Mat? keepOut)
    {
        var zoneBounds = Cv2.BoundingRect(zone);
        if (zoneBounds.Width == 0 || zoneBounds.Height == 0)
        {
            return;
        }

        using var lab = OldClothes.LabWindow(photo, zoneBounds);
        using var target = OldClothes.ClothesIn(photo, person, zone, lab);
        if (keepOut is not null)
        {
            Cv2.Subtract(target, keepOut, target);
        }

        using var alpha = new Mat();
        Cv2.ExtractChannel(layer, alpha, 3);
        using var opaque = new Mat();
        Cv2.Threshold(alpha, opaque, 127, 255, ThresholdTypes.Binary);
        Cv2.Subtract(target, opaque, target);
        var bounds = Cv2.BoundingRect(target);
        if (bounds.Width == 0 || bounds.Height == 0)
        {
            return;
        }

        KeepOldTopColours(target, lab, zoneBounds, zone, opaque);
        bounds = Cv2.BoundingRect(target);
        if (bounds.Width == 0 || bounds.Height == 0)
        {
            return;
        }

        // Each pixel takes the colour of the garment mirrored at its edge a rim inside it (a drawing's outline and the
        // antialiased edge are left behind; how it is mirrored is told below), or its nearest pixel's where the mirror image
        // is not garment, so stripes run on rather than smear and a plain garment stays plain; in a window around the target
        // (any garment pixel within reach of it is inside), and only as far as MaxCover from the garment: further, it would
        // make a short top long.
        var margin = (int)Math.Ceiling(MaxCover * person.ShoulderWidth);
        var window = new Rect(Math.Max(0, bounds.X - margin), Math.Max(0, bounds.Y - margin), 0, 0);
        window.Width = Math.Min(layer.Cols, bounds.Right + margin) - window.X;
        window.Height = Math.Min(layer.Rows, bounds.Bottom + margin) - window.Y;
        using var part = new Mat(layer, window);
        using var sources = new Mat();
        var inset = Math.Max(1, (int)Math.Round(Rim * person.ShoulderWidth));
        using var targetPart = new Mat(target, window);
        // The garment's rim next to what is covered is covered too: it would stay inside the garment as a line.
        using var rim = new Mat();
        using (var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size((2 * inset) + 1, (2 * inset) + 1)))
        using (var solid = new Mat(opaque, window))
        using (var nearTarget = new Mat())
        {
            Cv2.Erode(solid, sources, kernel);
            Cv2.Subtract(solid, sources, rim);
            Cv2.Dilate(targetPart, nearTarget, kernel, iterations: 2);
            Cv2.BitwiseAnd(rim, nearTarget, rim);
        }

        var sourceCount = Cv2.CountNonZero(sources);
        if (sourceCount == 0)
        {
            return;
        }

        using var notSource = new Mat();
        Cv2.BitwiseNot(sources, notSource);
        using var nearestDistance = new Mat();
        using var labels = new Mat();
        Cv2.DistanceTransformWithLabels(notSource, nearestDistance, labels, DistanceTypes.L2, DistanceTransformMasks.Mask5, DistanceTransformLabelTypes.Pixel);

        // Labels number the source pixels in row order, from 1.
        var (width, height) = (window.Width, window.Height);
        var partRows = part.AsRows<Vec4b>();
        var sourceRows = sources.AsRows<byte>();
        var colours = new List<Vec4b>(sourceCount + 1) { default };
        var places = new List<Cv.Point>(sourceCount + 1) { default };
        for (var y = 0; y < height; y++)
        {
            var row = partRows[y];
            var source = sourceRows[y];
            for (var x = 0; x < width; x++)
            {
                if (source[x] != 0)
                {
                    colours.Add(Opaque(row[x]));
                    places.Add(new Cv.Point(x, y));
                }
            }
        }

        var targetRows = targetPart.AsRows<byte>();
        var rimRows = rim.AsRows<byte>();
        // For each pixel, the row of the first garment pixel below it in its column (-1: none).
        var sourceBelow = new int[width * height];
        for (var x = 0; x < width; x++)
        {
            var next = -1;
            for (var y = height - 1; y >= 0; y--)
            {
                next = sourceRows[y][x] != 0 ? y : next;
                sourceBelow[(y * width) + x] = next;
            }
        }

        var labelRows = labels.AsRows<int>();
        var distanceRows = nearestDistance.AsRows<float>();
        var reach = (MaxCover * person.ShoulderWidth) + inset;
        for (var y = 0; y < height; y++)
        {
            var row = partRows[y];
            var wanted = targetRows[y];
            var rimmed = rimRows[y];
            var label = labelRows[y];
            var distance = distanceRows[y];
            for (var x = 0; x < width; x++)
            {
                if ((wanted[x] != 0 || rimmed[x] != 0) && distance[x] <= reach && label[x] > 0 && label[x] < colours.Count)
                {
                    var near = places[label[x]];
                    // Above the garment (a notch in its top edge, a cut-out's neck hole) it goes on up its own column,
                    // mirrored at the first of its pixels below, within twice the nearest one's distance; elsewhere
                    // mirrored along the row or the column, whichever the nearest pixel is nearer along. Mirrored through
                    // the nearest pixel itself, the fill fanned out in streaks around the garment's corners (beside the
                    // football shirt's neck on the astronaut).
                    var below = sourceBelow[(y * width) + x];
                    var (dx, dy) = (near.X - x, near.Y - y);
                    var (mx, my) = below > y && below - y <= 2 * Math.Max(1f, distance[x])
                        ? (x, below + (below - y))
                        : Math.Abs(dy) >= Math.Abs(dx) ? (x, y + (2 * dy)) : (x + (2 * dx), y);
                    var colour = mx >= 0 && my >= 0 && mx < width && my < height && sourceRows[my][mx] != 0 ? Opaque(partRows[my][mx]) : colours[label[x]];
                    row[x] = rimmed[x] != 0 ? colour : Blend(row[x], colour);
                }
            }
        }
    }

    /// <summary>
    /// Keeps in <paramref name="target"/> only the colours of the old top: the chroma (Lab a, b) the photo shows under the
    /// new garment within the zone, so a background the person mask took in (a flag behind a shoulder, a helmet held
    /// against the body) is not painted over unless it has the old top's colours. <paramref name="lab"/> is the photo's
    /// <paramref name="bounds"/> (the zone's bounding box) in Lab.
    /// </summary>
    private static void KeepOldTopColours(Mat target, Mat lab, Rect bounds, Mat zone, Mat opaque)
    {
        using var under = new Mat();
        using (var zonePart = new Mat(zone, bounds))
        using (var opaquePart = new Mat(opaque, bounds))
        {
            Cv2.BitwiseAnd(zonePart, opaquePart, under);
        }

        var covered = Cv2.CountNonZero(under);
        using var targetPart = new Mat(target, bounds);
        if (covered == 0)
        {
            targetPart.SetTo(Cv.Scalar.All(0));
            return;
        }

        int[] channels = [1, 2];
        int[] sizes = [PaletteBins, PaletteBins];
        Rangef[] ranges = [new Rangef(0, 256), new Rangef(0, 256)];
        using var histogram = new Mat();
        Cv2.CalcHist([lab], channels, under, histogram, 2, sizes, ranges);
        // A colour a little shaded or lit is the same fabric: neighbouring bins count too.
        Cv2.GaussianBlur(histogram, histogram, new Cv.Size(3, 3), 0);
        using var palette = new Mat();
        Cv2.Threshold(histogram, palette, PaletteShare * covered, 255, ThresholdTypes.Binary);
        using var back = new Mat();
        Cv2.CalcBackProject([lab], channels, palette, back, ranges);
        Cv2.BitwiseAnd(targetPart, back, targetPart);
    }

    /// <summary>A premultiplied pixel put over an opaque colour.</summary>
    private static Vec4b Blend(Vec4b over, Vec4b opaque)
    {
        var rest = 255 - over.Item3;
        return new Vec4b(
            (byte)(over.Item0 + ((opaque.Item0 * rest) / 255)),
            (byte)(over.Item1 + ((opaque.Item1 * rest) / 255)),
            (byte)(over.Item2 + ((opaque.Item2 * rest) / 255)),
            255);
    }

    /// <summary>A premultiplied colour made fully opaque.</summary>
    private static Vec4b Opaque(Vec4b premultiplied)
    {
        var alpha = Math.Max((int)premultiplied.Item3, 1);
        return new Vec4b(
            (byte)Math.Min(255, premultiplied.Item0 * 255 / alpha),
            (byte)Math.Min(255, premultiplied.Item1 * 255 / alpha),
            (byte)Math.Min(255, premultiplied.Item2 * 255 / alpha),
            255);
    }

    /// <summary>The photo's light as a per-pixel factor (1 = as the garment is drawn).</summary>
    private static Mat Shading(SKBitmap photo, PersonAnalysis person)
    {
        using var rgba = VisionImages.Wrap(photo);
        using var gray = new Mat();
        Cv2.CvtColor(rgba, gray, ColorConversionCodes.RGBA2GRAY);
        using var luminance = new Mat();
        gray.ConvertTo(luminance, MatType.CV_32FC1, 1 / 255.0, 0.02);
        using var local = new Mat();
        Cv2.GaussianBlur(luminance, local, new Cv.Size(0, 0), Math.Max(1.5, 0.02 * person.ShoulderWidth));
        // The broad light is smooth, so it is blurred at an eighth of the size and scaled back (a wide blur at full size
        // cost most of the compositing time on a 1024 px photo).
        using var small = new Mat();
        Cv2.Resize(luminance, small, new Cv.Size(Math.Max(1, luminance.Cols / 8), Math.Max(1, luminance.Rows / 8)), 0, 0, InterpolationFlags.Area);
        Cv2.GaussianBlur(small, small, new Cv.Size(0, 0), Math.Max(0.5, 0.15 * person.ShoulderWidth / 8));
        using var broad = new Mat();
        Cv2.Resize(small, broad, luminance.Size(), 0, 0, InterpolationFlags.Linear);
        using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
        using var bodyBinary = new Mat();
        Cv2.Threshold(body, bodyBinary, 127, 255, ThresholdTypes.Binary);
        var mean = Cv2.Mean(broad, bodyBinary).Val0;

        using var folds = new Mat();
        Cv2.Divide(local, broad, folds);
        Cv2.Pow(folds, FoldStrength, folds);
        using (var printed = PrintWeight(rgba, person))
        {
            // Folds are carried where the old clothes are one colour; a print's letters, stripes or badges are not
            // light on the fabric, so there the new garment stays flat (folds = 1).
            Cv2.Subtract(folds, Cv.Scalar.All(1), folds);
            Cv2.Multiply(folds, printed, folds);
            Cv2.Add(folds, Cv.Scalar.All(1), folds);
        }

        using var light = new Mat();
        Cv2.Divide(broad, Cv.Scalar.All(Math.Max(mean, 0.05)), light);
        Cv2.Pow(light, LightStrength, light);
        var shade = new Mat();
        Cv2.Multiply(folds, light, shade);
        Cv2.Min(shade, Cv.Scalar.All(MaxShade), shade);
        Cv2.Max(shade, Cv.Scalar.All(MinShade), shade);
        return shade;
    }

    /// <summary>
    /// How much of the photo's local light is fabric light (1) rather than the old clothes' print (0): a shadow or a fold
    /// changes brightness but hardly colour, a print (white letters on red, blue and red stripes, a badge) changes
    /// colour. Compares each pixel's chroma (Lab a, b) at the folds' scale with the chroma around it.
    /// </summary>
    private static Mat PrintWeight(Mat rgba, PersonAnalysis person)
    {
        // At a quarter of the size: the weight is smooth anyway, and a colour conversion and blurs at full size cost as
        // much as the rest of the compositing.
        using var quarter = new Mat();
        Cv2.Resize(rgba, quarter, new Cv.Size(Math.Max(1, rgba.Cols / 4), Math.Max(1, rgba.Rows / 4)), 0, 0, InterpolationFlags.Area);
        using var lab = VisionImages.ToLab(quarter);
        using var chroma = new Mat();
        lab.ConvertTo(chroma, MatType.CV_32FC3);
        var scale = person.ShoulderWidth / 4;
        using var local = new Mat();
        Cv2.GaussianBlur(chroma, local, new Cv.Size(0, 0), Math.Max(0.5, 0.02 * scale));
        using var around = new Mat();
        Cv2.GaussianBlur(chroma, around, new Cv.Size(0, 0), Math.Max(1, PrintScale * scale));
        using var difference = new Mat();
        Cv2.Subtract(local, around, difference);
        var channels = Cv2.Split(difference);
        try
        {
            // The lightness channel is the folds themselves: only a and b count.
            using var deviation = new Mat();
            Cv2.Magnitude(channels[1], channels[2], deviation);
            // 1 up to PrintChroma, falling to 0 at twice that; widened over the print's edges (its letters' outlines
            // are light too) and softened, so the flat patch does not show its own outline.
            Cv2.Subtract(Cv.Scalar.All(2 * PrintChroma), deviation, deviation);
            deviation.ConvertTo(deviation, MatType.CV_32FC1, 1 / PrintChroma);
            Cv2.Min(deviation, Cv.Scalar.All(1), deviation);
            Cv2.Max(deviation, Cv.Scalar.All(0), deviation);
            var edge = Math.Max(1, (int)Math.Round(0.03 * scale));
            using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size((2 * edge) + 1, (2 * edge) + 1));
            Cv2.Erode(deviation, deviation, kernel);
            Cv2.GaussianBlur(deviation, deviation, new Cv.Size(0, 0), edge);
            var weight = new Mat();
            Cv2.Resize(deviation, weight, rgba.Size(), 0, 0, InterpolationFlags.Linear);
            return weight;
        }
        finally
        {
            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    /// <summary>
    /// Where garments may be drawn (0-1): the body and a small margin, and the outline a skirt or a dress hangs across
    /// between the legs; never the head and hair or the seen hands.
    /// </summary>
    private static Mat Keep(PersonAnalysis person, IReadOnlyList<SKPoint>? hangsAcross)
    {
        using var body = VisionImages.FromMask(person.PersonMask, person.Width, person.Height);
        using var allowed = new Mat();
        Cv2.Threshold(body, allowed, 127, 255, ThresholdTypes.Binary);
        var margin = Math.Max(1, (int)(BodyMargin * person.ShoulderWidth));
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size((2 * margin) + 1, (2 * margin) + 1));
        Cv2.Dilate(allowed, allowed, kernel);
        if (hangsAcross is not null)
        {
            // Fabric bridges the narrow gaps between the legs (the person mask closed by a fifth of a shoulder width),
            // within the outline it hangs across; a wide gap (a lunge) stays open, as a skirt drawn across it would be
            // mostly background.
            var bridge = Math.Max(1, (int)(HangingBridge * person.ShoulderWidth));
            using var closing = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Cv.Size((2 * bridge) + 1, (2 * bridge) + 1));
            using var closed = new Mat();
            Cv2.MorphologyEx(allowed, closed, MorphTypes.Close, closing);
            using var outline = new Mat(allowed.Size(), MatType.CV_8UC1, Cv.Scalar.All(0));
            Cv2.FillPoly(outline, [hangsAcross.Select(point => new Cv.Point((int)Math.Round(point.X), (int)Math.Round(point.Y))).ToArray()], Cv.Scalar.All(255), LineTypes.Link8);
            Cv2.BitwiseAnd(closed, outline, closed);
            Cv2.BitwiseOr(allowed, closed, allowed);
        }

        // Feathered inwards only: the soft edge fades the garment out inside the body's outline, never past it.
        var soft = new Mat();
        allowed.ConvertTo(soft, MatType.CV_32FC1, 1 / 255.0);
        using var hard = soft.Clone();
        Cv2.GaussianBlur(soft, soft, new Cv.Size(0, 0), 1.0);
        Cv2.Min(soft, hard, soft);

        // The head, hair and hands are cleared after feathering, so they stay exact.
        BodyRegions.ClearHeadAndHands(soft, person);
        return soft;
    }

    /// <summary>Shades the layer's colour and multiplies the whole layer (premultiplied) by where it may be drawn.</summary>
    private static void Apply(Mat layer, Mat shade, Mat keep)
    {
        var (width, height) = (layer.Cols, layer.Rows);
        var shadeRows = shade.AsRows<float>();
        var keepRows = keep.AsRows<float>();
        var layerRows = layer.AsRows<Vec4b>();
        for (var y = 0; y < height; y++)
        {
            var shadeRow = shadeRows[y];
            var keepRow = keepRows[y];
            var layerRow = layerRows[y];
            for (var x = 0; x < width; x++)
            {
                var pixel = layerRow[x];
                if (pixel.Item3 == 0)
                {
                    continue;
                }

                var k = keepRow[x];
                var s = shadeRow[x] * k;
                var alpha = pixel.Item3 * k;
                layerRow[x] = new Vec4b(
                    (byte)Math.Min(alpha, pixel.Item0 * s),
                    (byte)Math.Min(alpha, pixel.Item1 * s),
                    (byte)Math.Min(alpha, pixel.Item2 * s),
                    (byte)alpha);
            }
        }
    }

    /// <summary>Blends a premultiplied layer over the result where it has any alpha; returns the rows and columns it touched.</summary>
    private static SKRectI Blend(SKBitmap result, SKBitmap layer)
    {
        using var target = VisionImages.Wrap(result);
        using var source = VisionImages.Wrap(layer);
        var (width, height) = (result.Width, result.Height);
        var targetRows = target.AsRows<Vec4b>();
        var sourceRows = source.AsRows<Vec4b>();
        int left = int.MaxValue, top = int.MaxValue, right = -1, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            var targetRow = targetRows[y];
            var sourceRow = sourceRows[y];
            for (var x = 0; x < width; x++)
            {
                var over = sourceRow[x];
                if (over.Item3 == 0)
                {
                    continue;
                }

                var under = targetRow[x];
                var rest = 255 - over.Item3;
                targetRow[x] = new Vec4b(
                    (byte)Math.Min(255, over.Item0 + (((under.Item0 * rest) + 127) / 255)),
                    (byte)Math.Min(255, over.Item1 + (((under.Item1 * rest) + 127) / 255)),
                    (byte)Math.Min(255, over.Item2 + (((under.Item2 * rest) + 127) / 255)),
                    under.Item3);
                left = Math.Min(left, x);
                right = Math.Max(right, x);
                top = Math.Min(top, y);
                bottom = Math.Max(bottom, y);
            }
        }

        return right < 0 ? SKRectI.Empty : new SKRectI(left, top, right + 1, bottom + 1);
    }
}
