using SkiaSharp;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>The garment shapes the seed catalog draws.</summary>
public enum GarmentKind
{
    Tee,
    Shirt,
    Hoodie,
    Jacket,
    Trousers,
    Shorts,
    Skirt,
    Dress,
}

/// <summary>
/// Draws flat-lay garments with SkiaSharp on a transparent background: the seed catalog's images, usable by the
/// try-on engine as ready cut-outs, with no downloads.
/// </summary>
public static class GarmentArtist
{
    public const int Width = 800;
    public const int Height = 1000;

    /// <summary>A PNG of the garment in the colour, on a transparent background.</summary>
    public static byte[] Draw(GarmentKind kind, SKColor color)
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);

        using var outline = Outline(kind);
        using var fill = new SKPaint
        {
            IsAntialias = true,
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height),
                [Lighten(color, 0.12f), color, Darken(color, 0.18f)], [0f, 0.5f, 1f], SKShaderTileMode.Clamp),
        };
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 6, Color = Darken(color, 0.35f) };
        using var seam = new SKPaint
        {
            IsAntialias = true,
            Style = SKPaintStyle.Stroke,
            StrokeWidth = 3,
            Color = Darken(color, 0.3f),
            PathEffect = SKPathEffect.CreateDash([14, 10], 0),
        };
        canvas.DrawPath(outline, fill);
        canvas.DrawPath(outline, stroke);
        DrawDetails(canvas, kind, seam, stroke);

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    private static SKPath Outline(GarmentKind kind) => kind switch
    {
        GarmentKind.Tee => Polygon((250, 120), (340, 100), (400, 140), (460, 100), (550, 120), (700, 250), (620, 340), (560, 290), (560, 880), (240, 880), (240, 290), (180, 340), (100, 250)),
        GarmentKind.Shirt => Polygon((260, 110), (350, 90), (400, 150), (450, 90), (540, 110), (640, 200), (740, 700), (660, 720), (570, 330), (570, 900), (230, 900), (230, 330), (140, 720), (60, 700), (160, 200)),
        GarmentKind.Hoodie => Polygon((250, 170), (300, 70), (400, 40), (500, 70), (550, 170), (650, 230), (750, 760), (660, 780), (580, 360), (580, 900), (220, 900), (220, 360), (140, 780), (50, 760), (150, 230)),
        GarmentKind.Jacket => Polygon((250, 120), (340, 90), (400, 260), (460, 90), (550, 120), (650, 200), (760, 740), (670, 760), (590, 340), (600, 920), (200, 920), (210, 340), (130, 760), (40, 740), (150, 200)),
        GarmentKind.Trousers => Polygon((230, 80), (570, 80), (600, 180), (640, 920), (450, 920), (400, 330), (350, 920), (160, 920), (200, 180)),
        GarmentKind.Shorts => Polygon((210, 200), (590, 200), (620, 300), (680, 640), (450, 660), (400, 430), (350, 660), (120, 640), (180, 300)),
        GarmentKind.Skirt => Polygon((260, 160), (540, 160), (560, 230), (700, 820), (100, 820), (240, 230)),
        GarmentKind.Dress => Polygon((300, 60), (340, 60), (360, 170), (440, 170), (460, 60), (500, 60), (540, 200), (520, 420), (720, 930), (80, 930), (280, 420), (260, 200)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static void DrawDetails(SKCanvas canvas, GarmentKind kind, SKPaint seam, SKPaint stroke)
    {
        switch (kind)
        {
            case GarmentKind.Tee:
                canvas.DrawLine(240, 850, 560, 850, seam);
                break;
            case GarmentKind.Shirt:
                canvas.DrawLine(400, 160, 400, 890, seam);
                for (var y = 220; y < 880; y += 110)
                {
                    canvas.DrawCircle(400, y, 7, stroke);
                }

                break;
            case GarmentKind.Hoodie:
                canvas.DrawOval(new SKRect(330, 60, 470, 200), seam);
                canvas.DrawRect(new SKRect(290, 600, 510, 760), seam);
                break;
            case GarmentKind.Jacket:
                canvas.DrawLine(400, 260, 400, 915, stroke);
                canvas.DrawRect(new SKRect(250, 640, 350, 700), seam);
                canvas.DrawRect(new SKRect(450, 640, 550, 700), seam);
                break;
            case GarmentKind.Trousers:
                canvas.DrawLine(230, 130, 570, 130, seam);
                canvas.DrawLine(400, 130, 400, 330, seam);
                break;
            case GarmentKind.Shorts:
                canvas.DrawLine(210, 250, 590, 250, seam);
                break;
            case GarmentKind.Skirt:
                canvas.DrawLine(250, 210, 550, 210, seam);
                break;
            case GarmentKind.Dress:
                canvas.DrawLine(280, 420, 520, 420, seam);
                break;
        }
    }

    private static SKPath Polygon(params (float X, float Y)[] points)
    {
        var path = new SKPath();
        path.MoveTo(points[0].X, points[0].Y);
        foreach (var (x, y) in points.Skip(1))
        {
            path.LineTo(x, y);
        }

        path.Close();
        return path;
    }

    private static SKColor Lighten(SKColor color, float amount) => new(
        (byte)(color.Red + ((255 - color.Red) * amount)), (byte)(color.Green + ((255 - color.Green) * amount)), (byte)(color.Blue + ((255 - color.Blue) * amount)));

    private static SKColor Darken(SKColor color, float amount) => new(
        (byte)(color.Red * (1 - amount)), (byte)(color.Green * (1 - amount)), (byte)(color.Blue * (1 - amount)));
}
