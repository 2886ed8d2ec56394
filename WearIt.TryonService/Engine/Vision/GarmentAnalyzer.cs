using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// Reads a garment image: cuts it out (its own transparency, or the plain background flooded away from the border)
/// and finds its key points by scanning the cut-out's silhouette. Throws <c>garment_not_found</c> when no garment
/// shape can be read.
/// </summary>
public static class GarmentAnalyzer
{
    private const byte Solid = 96;

    public static GarmentAnalysis Analyse(string clothType, SKBitmap image)
    {
        var cutout = GarmentCutout.Cut(image);
        try
        {
            var silhouette = new Silhouette(cutout);
            if (silhouette.Area < 0.05f * cutout.Width * cutout.Height || cutout.Width < 32 || cutout.Height < 32)
            {
                throw new TryonFailedException("garment_not_found", "No garment could be made out in this image.");
            }

            return clothType == "lower" ? ReadBottom(cutout, silhouette) : ReadTop(clothType, cutout, silhouette);
        }
        catch
        {
            cutout.Dispose();
            throw;
        }
    }

    private static GarmentAnalysis ReadTop(string clothType, SKBitmap cutout, Silhouette shape)
    {
        var (width, height) = (cutout.Width, cutout.Height);
        var hemY = shape.Bottom - Math.Max(1, height / 100);
        var (hemLeft, hemRight) = shape.Row(hemY);

        // The torso's sides: at the hem for a top; for a dress at its narrowest row (the waist), since its skirt flares.
        var waistY = clothType == "dress" ? shape.NarrowestRow(shape.Top + (int)(0.2f * height), shape.Top + (int)(0.6f * height)) : hemY;
        var (torsoLeft, torsoRight) = shape.Row(waistY);
        var torsoWidth = Math.Max(1, torsoRight - torsoLeft);
        var margin = Math.Max(2, (int)(0.03f * width));

        var armpitLeftY = shape.FirstFromBelow(torsoLeft - margin, waistY) ?? (int)(shape.Top + (0.3f * (waistY - shape.Top)));
        var armpitRightY = shape.FirstFromBelow(torsoRight + margin, waistY) ?? (int)(shape.Top + (0.3f * (waistY - shape.Top)));
        var armpitLeft = new SKPoint(torsoLeft, armpitLeftY);
        var armpitRight = new SKPoint(torsoRight, armpitRightY);

        var inset = (int)(0.04f * torsoWidth);
        var shoulderLeft = new SKPoint(torsoLeft + inset, shape.FirstFromAbove(torsoLeft + inset) ?? shape.Top);
        var shoulderRight = new SKPoint(torsoRight - inset, shape.FirstFromAbove(torsoRight - inset) ?? shape.Top);

        var centre = (torsoLeft + torsoRight) / 2;
        var neckLeft = shape.HighestIn(centre - (int)(0.3f * torsoWidth), centre);
        var neckRight = shape.HighestIn(centre, centre + (int)(0.3f * torsoWidth));
        var neckCentre = new SKPoint(centre, shape.FirstFromAbove(centre) ?? shape.Top);

        var sleeveLeft = shape.Sleeve(PersonAnalysis.Mid(shoulderLeft, armpitLeft), SKPoint.Distance(shoulderLeft, armpitLeft), x => x < torsoLeft - margin, armpitLeftY + (height / 3));
        var sleeveRight = shape.Sleeve(PersonAnalysis.Mid(shoulderRight, armpitRight), SKPoint.Distance(shoulderRight, armpitRight), x => x > torsoRight + margin, armpitRightY + (height / 3));

        return new GarmentAnalysis(
            clothType, cutout, neckLeft, neckRight, neckCentre, shoulderLeft, shoulderRight, armpitLeft, armpitRight,
            new SKPoint(torsoLeft, waistY), new SKPoint(torsoRight, waistY), new SKPoint(hemLeft, hemY), new SKPoint(hemRight, hemY),
            null, sleeveLeft, sleeveRight, null, null);
    }

    private static GarmentAnalysis ReadBottom(SKBitmap cutout, Silhouette shape)
    {
        var height = cutout.Height;
        var waistY = shape.Top + Math.Max(1, height / 100);
        var (waistLeft, waistRight) = shape.Row(waistY);
        var centre = (waistLeft + waistRight) / 2;
        var hemY = shape.Bottom - Math.Max(1, height / 100);
        var (hemLeft, hemRight) = shape.Row(hemY);

        // The crotch: the top of the gap between the legs, found up the centre column; none for a skirt.
        var gapTop = shape.FirstFromBelow(centre, shape.Bottom);
        SKPoint? crotch = gapTop is { } top && top < hemY - (0.08f * height) ? new SKPoint(centre, top) : null;
        LegShape? legLeft = null, legRight = null;
        if (crotch is not null)
        {
            var (leftOuter, leftInner) = shape.RunAround(hemY, hemLeft);
            var (rightInner, rightOuter) = shape.RunAround(hemY, hemRight);
            var topWidth = (waistRight - waistLeft) / 2f;
            legLeft = new LegShape(new SKPoint(waistLeft + (topWidth / 2), waistY), topWidth, new SKPoint((leftOuter + leftInner) / 2f, hemY), leftInner - leftOuter);
            legRight = new LegShape(new SKPoint(waistRight - (topWidth / 2), waistY), topWidth, new SKPoint((rightInner + rightOuter) / 2f, hemY), rightOuter - rightInner);
        }

        var empty = SKPoint.Empty;
        return new GarmentAnalysis(
            "lower", cutout, empty, empty, empty, empty, empty, empty, empty,
            new SKPoint(waistLeft, waistY), new SKPoint(waistRight, waistY), new SKPoint(hemLeft, hemY), new SKPoint(hemRight, hemY),
            crotch, null, null, legLeft, legRight);
    }

    /// <summary>The garment's solid pixels and the scans key points are read with.</summary>
    private sealed class Silhouette
    {
        private readonly bool[] _solid;
        private readonly int _width;
        private readonly int _height;

        public Silhouette(SKBitmap cutout)
        {
            (_width, _height) = (cutout.Width, cutout.Height);
            _solid = new bool[_width * _height];
            var pixels = cutout.Pixels;
            Top = _height;
            Bottom = -1;
            for (var i = 0; i < pixels.Length; i++)
            {
                if (pixels[i].Alpha >= Solid)
                {
                    _solid[i] = true;
                    Area++;
                    Top = Math.Min(Top, i / _width);
                    Bottom = Math.Max(Bottom, i / _width);
                }
            }
        }

        public int Area { get; }

        public int Top { get; }

        public int Bottom { get; }

        private bool At(int x, int y) => x >= 0 && y >= 0 && x < _width && y < _height && _solid[(y * _width) + x];

        /// <summary>The leftmost and rightmost solid pixel of a row.</summary>
        public (int Left, int Right) Row(int y)
        {
            int left = -1, right = -1;
            for (var x = 0; x < _width; x++)
            {
                if (At(x, y))
                {
                    left = left < 0 ? x : left;
                    right = x;
                }
            }

            return left < 0 ? (0, _width - 1) : (left, right);
        }

        /// <summary>The solid run of a row that contains <paramref name="x"/>.</summary>
        public (int Start, int End) RunAround(int y, int x)
        {
            var (start, end) = (x, x);
            while (At(start - 1, y))
            {
                start--;
            }

            while (At(end + 1, y))
            {
                end++;
            }

            return (start, end);
        }

        public int NarrowestRow(int from, int to)
        {
            var (best, bestWidth) = (from, int.MaxValue);
            for (var y = Math.Max(from, Top); y <= Math.Min(to, Bottom); y++)
            {
                var (left, right) = Row(y);
                if (right - left < bestWidth)
                {
                    (best, bestWidth) = (y, right - left);
                }
            }

            return best;
        }

        /// <summary>Going up a column from <paramref name="fromY"/>, the first solid pixel's row.</summary>
        public int? FirstFromBelow(int x, int fromY)
        {
            for (var y = Math.Min(fromY, _height - 1); y >= 0; y--)
            {
                if (At(x, y))
                {
                    return y;
                }
            }

            return null;
        }

        public int? FirstFromAbove(int x)
        {
            for (var y = 0; y < _height; y++)
            {
                if (At(x, y))
                {
                    return y;
                }
            }

            return null;
        }

        /// <summary>The highest solid pixel between two columns.</summary>
        public SKPoint HighestIn(int fromX, int toX)
        {
            var best = new SKPoint((fromX + toX) / 2f, Bottom);
            for (var x = Math.Max(0, fromX); x <= Math.Min(_width - 1, toX); x++)
            {
                if (FirstFromAbove(x) is { } y && y < best.Y)
                {
                    best = new SKPoint(x, y);
                }
            }

            return best;
        }

        /// <summary>
        /// The sleeve on one side: the solid pixels beyond the torso's side (above <paramref name="maxY"/>); its end is
        /// the far band of those pixels along the line from the root, its width their spread across that line there.
        /// </summary>
        public SleeveShape? Sleeve(SKPoint root, float rootWidth, Func<int, bool> beyondTorso, int maxY)
        {
            var points = new List<SKPoint>();
            for (var y = Top; y <= Math.Min(Bottom, maxY); y++)
            {
                for (var x = 0; x < _width; x++)
                {
                    if (beyondTorso(x) && _solid[(y * _width) + x])
                    {
                        points.Add(new SKPoint(x, y));
                    }
                }
            }

            if (points.Count < 0.01f * _width * _height)
            {
                return null;
            }

            var far = points.MaxBy(point => SKPoint.Distance(point, root));
            var axis = far - root;
            var length = axis.Length;
            if (length < 0.3f * rootWidth)
            {
                return null;
            }

            // Refine the direction with the centre of the far end, then measure the end across the axis.
            var band = points.Where(point => SKPoint.Distance(point, root) >= 0.85f * length).ToList();
            var bandCentre = new SKPoint(band.Average(point => point.X), band.Average(point => point.Y));
            var direction = bandCentre - root;
            direction = new SKPoint(direction.X / direction.Length, direction.Y / direction.Length);
            var normal = new SKPoint(-direction.Y, direction.X);
            var along = points.Select(point => Dot(point - root, direction)).ToList();
            var reach = along.Max();
            var endBand = points.Where((_, i) => along[i] >= 0.85f * reach).ToList();
            var across = endBand.Select(point => Dot(point - root, normal)).ToList();
            var end = root + new SKPoint(direction.X * reach * 0.97f, direction.Y * reach * 0.97f)
                + new SKPoint(normal.X * (across.Max() + across.Min()) / 2, normal.Y * (across.Max() + across.Min()) / 2);
            return new SleeveShape(root, rootWidth, end, Math.Max(4, across.Max() - across.Min()));
        }

        private static float Dot(SKPoint a, SKPoint b) => (a.X * b.X) + (a.Y * b.Y);
    }
}
