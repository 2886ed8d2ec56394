using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.TryonService.Engine;
using WearIt.TryonService.Engine.Vision;

namespace WearIt.Tests.Tryon;

/// <summary>Key points read off garment images: drawn catalog garments, photographed ones, and no garment at all.</summary>
public sealed class GarmentAnalyzerTests
{
    [Fact]
    public void ATeeHasItsNeckShouldersArmpitsHemAndShortSleeves()
    {
        using var image = SKBitmap.Decode(GarmentArtist.Draw(GarmentKind.Tee, SKColors.Crimson));

        using var tee = GarmentAnalyzer.Analyse("upper", image);

        // The drawing (GarmentArtist): collar at y 100, shoulders 120, armpits 290, hem 880, sleeve ends near (140, 295).
        Assert.True(tee.NeckCentre.Y > tee.NeckLeft.Y && tee.NeckCentre.Y > tee.NeckRight.Y, "the front of the neck dips below the collar's sides");
        Assert.True(tee.ShoulderLeft.X < tee.NeckLeft.X && tee.NeckRight.X < tee.ShoulderRight.X);
        Assert.True(tee.ArmpitLeft.Y > tee.ShoulderLeft.Y + 100 && tee.HemLeft.Y > tee.ArmpitLeft.Y + 400);
        var left = Assert.IsType<SleeveShape>(tee.SleeveLeft);
        var right = Assert.IsType<SleeveShape>(tee.SleeveRight);
        Assert.True(left.End.X < tee.ArmpitLeft.X && right.End.X > tee.ArmpitRight.X, "the sleeves point outwards");
        Assert.InRange(left.Length, 80, 220);
        Assert.InRange(right.Length / left.Length, 0.9, 1.1);
    }

    [Fact]
    public void TrousersHaveTwoLegsBelowTheCrotchAndASkirtHasNone()
    {
        using var trouserImage = SKBitmap.Decode(GarmentArtist.Draw(GarmentKind.Trousers, SKColors.Navy));
        using var skirtImage = SKBitmap.Decode(GarmentArtist.Draw(GarmentKind.Skirt, SKColors.Goldenrod));

        using var trousers = GarmentAnalyzer.Analyse("lower", trouserImage);
        using var skirt = GarmentAnalyzer.Analyse("lower", skirtImage);

        Assert.NotNull(trousers.Crotch);
        var left = Assert.IsType<LegShape>(trousers.LegLeft);
        var right = Assert.IsType<LegShape>(trousers.LegRight);
        Assert.True(left.Hem.X < trousers.Crotch.Value.X && right.Hem.X > trousers.Crotch.Value.X);
        Assert.True(left.Length > 500, $"a trouser leg runs most of the drawing's height, was {left.Length}");
        Assert.Null(skirt.Crotch);
        Assert.Null(skirt.LegLeft);
    }

    [Fact]
    public void APhotographedGarmentOnAPlainBackgroundIsCutOut()
    {
        using var photo = new SKBitmap(600, 700);
        using (var canvas = new SKCanvas(photo))
        {
            canvas.Clear(new SKColor(240, 240, 236));
            using var paint = new SKPaint { Color = SKColors.DarkGreen, IsAntialias = true };
            using var tee = new SKPath();
            tee.MoveTo(200, 100);
            foreach (var (x, y) in new[] { (400, 100), (540, 220), (480, 280), (420, 240), (420, 620), (180, 620), (180, 240), (120, 280), (60, 220) })
            {
                tee.LineTo(x, y);
            }

            tee.Close();
            canvas.DrawPath(tee, paint);
        }

        using var garment = GarmentAnalyzer.Analyse("upper", photo);

        Assert.InRange(garment.Cutout.Width, 476, 486);
        Assert.NotNull(garment.SleeveLeft);
        Assert.NotNull(garment.SleeveRight);
    }

    [Fact]
    public void AnImageWithNoGarmentIsRefused()
    {
        using var blank = new SKBitmap(400, 400);
        blank.Erase(SKColors.White);

        var error = Assert.Throws<TryonFailedException>(() => GarmentAnalyzer.Analyse("upper", blank));

        Assert.Equal("garment_not_found", error.Code);
    }
}
