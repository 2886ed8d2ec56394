using System.Diagnostics;
using System.Globalization;
using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.Bench;

/// <summary>
/// Renders every photo in every test garment into one contact sheet PNG (input beside results) and prints, per photo,
/// the analysis time and, per try-on, its time in fast and quality mode and three measures read off the pixels: how
/// much of the body's garment region the new garment covers, how much of the garment lies outside the person mask,
/// and whether the face box is byte-identical to the photo.
/// </summary>
internal static class ContactSheetBenchmark
{
    private const int Cell = 320;
    private const int Runs = 5;
    private const int TargetLongSide = 1024;

    private static (string Name, (string ClothType, byte[] Image)[] Items)[] Outfits = [];

    private static (string Name, (string ClothType, byte[] Image)[] Items)[] TestOutfits(IReadOnlyList<string> photos)
    {
        (string, byte[]) Drawn(string clothType, GarmentKind kind, SKColor colour) => (clothType, GarmentArtist.Draw(kind, colour));
        var outfits = new List<(string, (string, byte[])[])>
        {
            ("tee", [Drawn("upper", GarmentKind.Tee, SKColors.Crimson)]),
            ("shirt", [Drawn("upper", GarmentKind.Shirt, SKColors.SteelBlue)]),
            ("hoodie", [Drawn("upper", GarmentKind.Hoodie, SKColors.SeaGreen)]),
            ("trousers", [Drawn("lower", GarmentKind.Trousers, SKColors.Navy)]),
            ("skirt", [Drawn("lower", GarmentKind.Skirt, SKColors.Goldenrod)]),
            ("dress", [Drawn("dress", GarmentKind.Dress, SKColors.MediumVioletRed)]),
            ("tee+trousers", [Drawn("upper", GarmentKind.Tee, SKColors.White), Drawn("lower", GarmentKind.Trousers, SKColors.DarkSlateGray)]),
        };

        // A garment cut out of a photo of someone wearing it: the football shirt of messi5.jpg.
        if (photos.FirstOrDefault(path => Path.GetFileName(path) == "messi5.jpg") is { } messi)
        {
            outfits.Add(("football shirt", [("upper", File.ReadAllBytes(messi))]));
        }

        return [.. outfits];
    }

    public static async Task RunAsync(string output, IReadOnlyList<string> photos, string? cellFolder = null)
    {
        Outfits = TestOutfits(photos);
        using var models = EngineModels.Load();
        var engine = new PoseTryonEngine(models.Analyzer, models.Garments);
        var rows = new List<(string Name, SKBitmap Input, List<(string Label, SKBitmap? Image)> Cells)>();
        if (cellFolder is not null)
        {
            // Each garment as the engine reads it: its cutout with its key points and sleeve or leg axes.
            Directory.CreateDirectory(cellFolder);
            foreach (var (outfit, items) in Outfits)
            {
                for (var i = 0; i < items.Length; i++)
                {
                    var garment = models.Garments.Read(items[i].ClothType, items[i].Image); // shared with the engine: not disposed
                    await File.WriteAllBytesAsync(Path.Combine(cellFolder, $"garment-{CellName(outfit)}{(items.Length > 1 ? $"-{i + 1}" : "")}.png"), DrawGarment(garment));
                }
            }
        }

        Console.WriteLine("| photo | analysis ms (p50 of 5) |");
        Console.WriteLine("|---|---|");
        var measures = new List<string>();
        var peak = 0L;
        foreach (var path in photos)
        {
            // Every photo at 1024 px on its long side, the size the targets are set for (the test photos are smaller).
            var bytes = AtLongSide(await File.ReadAllBytesAsync(path), TargetLongSide);
            var name = Path.GetFileName(path);
            using var quality = EngineImages.DecodeUpright(bytes, PoseTryonEngine.QualityLongSide, "body_image_invalid");
            PersonAnalysis? person = null;
            string? refusal = null;
            var analysisTimes = new List<double>();
            for (var run = 0; run < Runs; run++)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    person = models.Analyzer.Analyse(quality);
                }
                catch (TryonFailedException ex)
                {
                    refusal = ex.Code;
                }

                analysisTimes.Add(clock.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} ({quality.Width}x{quality.Height}) | {Stats.Percentile(analysisTimes, 50):0.0}{(refusal is null ? "" : $" (refused: {refusal})")} |"));
            if (cellFolder is not null && person is not null)
            {
                Directory.CreateDirectory(cellFolder);
                await File.WriteAllBytesAsync(Path.Combine(cellFolder, $"{Path.GetFileNameWithoutExtension(name)}-analysis.png"), DrawAnalysis(quality, person));
            }

            var cells = new List<(string, SKBitmap?)>();
            foreach (var (outfit, items) in Outfits)
            {
                var garments = items.Select(item => new GarmentInput(item.ClothType, item.Image)).ToList();
                var times = new Dictionary<TryonMode, double>();
                byte[]? result = null;
                string? code = null;
                foreach (var mode in new[] { TryonMode.Fast, TryonMode.Quality })
                {
                    var samples = new List<double>();
                    for (var run = 0; run < Runs && code is null; run++)
                    {
                        var clock = Stopwatch.StartNew();
                        try
                        {
                            var tryon = await engine.RunAsync(new TryonRequest(bytes, garments, mode, 1), new Progress<TryonProgress>(), CancellationToken.None);
                            result = mode == TryonMode.Quality ? tryon.Image : result;
                        }
                        catch (TryonFailedException ex)
                        {
                            code = ex.Code;
                        }

                        samples.Add(clock.Elapsed.TotalMilliseconds);
                        peak = Math.Max(peak, Process.GetCurrentProcess().PeakWorkingSet64);
                    }

                    times[mode] = samples.Count > 0 ? Stats.Percentile(samples, 50) : double.NaN;
                }

                if (code is not null || result is null || person is null)
                {
                    measures.Add($"| {name} | {outfit} | refused: {code} | | | | |");
                    cells.Add(($"{outfit}: {code}", null));
                    continue;
                }

                var image = SKBitmap.Decode(result);
                var (coverage, spill, faceSame) = Measure(quality, image, person, items.Select(item => item.ClothType), skirt: outfit == "skirt");
                measures.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {outfit} | {times[TryonMode.Fast]:0} | {times[TryonMode.Quality]:0} | {coverage:P1} | {spill:P1} | {(faceSame ? "yes" : "NO")} |"));
                cells.Add((outfit, image));
                if (cellFolder is not null)
                {
                    Directory.CreateDirectory(cellFolder);
                    await File.WriteAllBytesAsync(Path.Combine(cellFolder, $"{Path.GetFileNameWithoutExtension(name)}-{CellName(outfit)}.png"), result);
                }
            }

            rows.Add((name, quality.Copy(), cells));
        }

        Console.WriteLine();
        Console.WriteLine("| photo | outfit | fast ms | quality ms | coverage | spill | face identical |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        measures.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set: {peak / (1024.0 * 1024):0} MiB"));

        Draw(output, rows);
        Console.WriteLine($"contact sheet: {Path.GetFullPath(output)}");
        foreach (var row in rows)
        {
            row.Input.Dispose();
            row.Cells.ForEach(cell => cell.Image?.Dispose());
        }
    }

    /// <summary>
    /// Coverage: of the garment regions' pixels in the rows the new garments reach, the share the result changed (a
    /// skirt's region is the pelvis and thighs: it is not meant to cover the shins). Spill: of the changed pixels, the share outside the person mask. And whether
    /// the face box is untouched.
    /// </summary>
    private static (double Coverage, double Spill, bool FaceSame) Measure(SKBitmap photo, SKBitmap result, PersonAnalysis person, IEnumerable<string> clothTypes, bool skirt)
    {
        var regions = clothTypes.Select(clothType => person.RegionFor(clothType, hangsFree: clothType == "lower" && skirt)).ToList();
        var rows = Enumerable.Range(0, photo.Height).Where(y => Enumerable.Range(0, photo.Width).Any(x => photo.GetPixel(x, y) != result.GetPixel(x, y))).ToHashSet();
        int region = 0, covered = 0, changed = 0, outside = 0;
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                var i = (y * photo.Width) + x;
                var isChanged = photo.GetPixel(x, y) != result.GetPixel(x, y);
                var inRegion = rows.Contains(y) && regions.Any(mask => mask[i] != 0);
                region += inRegion ? 1 : 0;
                covered += inRegion && isChanged ? 1 : 0;
                changed += isChanged ? 1 : 0;
                outside += isChanged && person.PersonMask[i] < 128 ? 1 : 0;
            }
        }

        var face = SKRectI.Intersect(SKRectI.Ceiling(person.Face), new SKRectI(0, 0, photo.Width, photo.Height));
        var faceSame = true;
        for (var y = face.Top; y < face.Bottom && faceSame; y++)
        {
            for (var x = face.Left; x < face.Right && faceSame; x++)
            {
                faceSame = photo.GetPixel(x, y) == result.GetPixel(x, y);
            }
        }

        return (region == 0 ? 0 : (double)covered / region, changed == 0 ? 0 : (double)outside / changed, faceSame);
    }

    /// <summary>
    /// The photo with what the analysis found drawn on it, to look at closely: the person mask's outline (white), the
    /// upper region (green tint) and the lower one (blue tint), the face box (yellow) and the landmarks the model sees
    /// (red; the ones it does not, grey).
    /// </summary>
    private static string CellName(string outfit) => outfit.Replace(' ', '-').Replace('+', '-');

    /// <summary>The garment's cutout on grey, its key points (red), its neck (yellow) and its sleeve or leg axes (cyan).</summary>
    private static byte[] DrawGarment(GarmentAnalysis garment)
    {
        using var surface = SKSurface.Create(new SKImageInfo(garment.Cutout.Width, garment.Cutout.Height));
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(128, 128, 128));
        canvas.DrawBitmap(garment.Cutout, 0, 0);
        var radius = Math.Max(3f, garment.Cutout.Width / 120f);
        using var point = new SKPaint { Color = SKColors.Red, IsAntialias = true };
        using var neck = new SKPaint { Color = SKColors.Yellow, IsAntialias = true };
        using var axis = new SKPaint { Color = SKColors.Cyan, IsAntialias = true, IsStroke = true, StrokeWidth = radius / 2 };
        foreach (var key in new[] { garment.ShoulderLeft, garment.ShoulderRight, garment.ArmpitLeft, garment.ArmpitRight, garment.WaistLeft, garment.WaistRight, garment.HemLeft, garment.HemRight })
        {
            canvas.DrawCircle(key, radius, point);
        }

        foreach (var key in new[] { garment.NeckLeft, garment.NeckRight, garment.NeckCentre })
        {
            canvas.DrawCircle(key, radius, neck);
        }

        if (garment.Crotch is { } crotch)
        {
            canvas.DrawCircle(crotch, radius, point);
        }

        foreach (var sleeve in new[] { garment.SleeveLeft, garment.SleeveRight }.OfType<SleeveShape>())
        {
            canvas.DrawLine(sleeve.Root, sleeve.End, axis);
        }

        foreach (var leg in new[] { garment.LegLeft, garment.LegRight }.OfType<LegShape>())
        {
            canvas.DrawLine(leg.Top, leg.Hem, axis);
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static byte[] DrawAnalysis(SKBitmap photo, PersonAnalysis person)
    {
        using var surface = SKSurface.Create(new SKImageInfo(photo.Width, photo.Height));
        var canvas = surface.Canvas;
        canvas.DrawBitmap(photo, 0, 0);
        using var tints = new SKBitmap(new SKImageInfo(photo.Width, photo.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < photo.Height; y++)
        {
            for (var x = 0; x < photo.Width; x++)
            {
                var i = (y * photo.Width) + x;
                var inside = person.PersonMask[i] > 127;
                var edge = inside && ((x > 0 && person.PersonMask[i - 1] <= 127) || (y > 0 && person.PersonMask[i - photo.Width] <= 127));
                tints.SetPixel(x, y, edge ? SKColors.White
                    : person.UpperRegion[i] > 0 ? new SKColor(0, 255, 0, 160)
                    : person.LowerRegion[i] > 0 ? new SKColor(0, 80, 255, 90)
                    : SKColors.Transparent);
            }
        }

        canvas.DrawBitmap(tints, 0, 0);
        using var face = new SKPaint { Color = SKColors.Yellow, IsStroke = true, StrokeWidth = 2 };
        canvas.DrawRect(person.Face, face);
        using var seen = new SKPaint { Color = SKColors.Red, IsAntialias = true };
        using var unseen = new SKPaint { Color = SKColors.Gray, IsAntialias = true };
        foreach (var landmark in person.Landmarks)
        {
            canvas.DrawCircle(landmark.Point, 4, landmark.Visibility >= 0.5f ? seen : unseen);
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static void Draw(string output, List<(string Name, SKBitmap Input, List<(string Label, SKBitmap? Image)> Cells)> rows)
    {
        var columns = 1 + Outfits.Length;
        const int caption = 22;
        using var surface = SKSurface.Create(new SKImageInfo(columns * Cell, rows.Count * (Cell + caption)));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 15);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0xEE, 0xEE, 0xEE) };
        for (var r = 0; r < rows.Count; r++)
        {
            var top = r * (Cell + caption);
            var (name, input, cells) = rows[r];
            DrawFitted(canvas, input, new SKRect(0, top, Cell, top + Cell));
            canvas.DrawText(name, 4, top + Cell + 16, font, ink);
            for (var c = 0; c < cells.Count; c++)
            {
                var box = new SKRect((c + 1) * Cell, top, (c + 2) * Cell, top + Cell);
                if (cells[c].Image is { } image)
                {
                    DrawFitted(canvas, image, box);
                }
                else
                {
                    canvas.DrawRect(box, grey);
                }

                canvas.DrawText(cells[c].Label, box.Left + 4, top + Cell + 16, font, ink);
            }
        }

        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(output, png.ToArray());
    }

    private static byte[] AtLongSide(byte[] photo, int longSide)
    {
        using var bitmap = SKBitmap.Decode(photo);
        var scale = (float)longSide / Math.Max(bitmap.Width, bitmap.Height);
        using var resized = bitmap.Resize(new SKImageInfo((int)Math.Round(bitmap.Width * scale), (int)Math.Round(bitmap.Height * scale)), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = SKImage.FromBitmap(resized);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static void DrawFitted(SKCanvas canvas, SKBitmap bitmap, SKRect box)
    {
        var scale = Math.Min(box.Width / bitmap.Width, box.Height / bitmap.Height);
        var (width, height) = (bitmap.Width * scale, bitmap.Height * scale);
        using var image = SKImage.FromBitmap(bitmap);
        canvas.DrawImage(image, SKRect.Create(box.Left + ((box.Width - width) / 2), box.Top + ((box.Height - height) / 2), width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }
}
