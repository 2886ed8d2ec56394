using SkiaSharp;
using WearIt.ApiService.Features.Catalog;
using WearIt.Tests.Support;
using WearIt.TryonService.Engine;

namespace WearIt.Tests.Tryon;

/// <summary>The overlay engine on the astronaut photo with drawn catalog garments.</summary>
public sealed class OverlayEngineTests : IDisposable
{
    private readonly BlazeFaceDetector _detector = new(BlazeFaceDetector.DefaultModelPath);
    private readonly OverlayTryonEngine _engine;

    public OverlayEngineTests() => _engine = new OverlayTryonEngine(_detector);

    public void Dispose() => _detector.Dispose();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static GarmentInput Top => new("upper", GarmentArtist.Draw(GarmentKind.Tee, SKColors.Crimson));

    private static GarmentInput Trousers => new("lower", GarmentArtist.Draw(GarmentKind.Trousers, SKColors.Navy));

    [Fact]
    public void TheBodyLinesFollowTheFace()
    {
        using var photo = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        var face = Assert.Single(_detector.Detect(photo));

        var body = BodyGeometry.FromFace(face);

        Assert.True(body.ChinY > face.Mouth.Y);
        Assert.True(body.ShoulderY > body.ChinY && body.WaistY > body.ShoulderY && body.HipY > body.WaistY && body.KneeY > body.HipY);
        Assert.InRange(body.ShoulderWidth, face.Box.Width * 2, face.Box.Width * 6);
        Assert.InRange(body.CenterX, face.Box.Left, face.Box.Right);
        Assert.True(body.ShoulderY < photo.Height, "the astronaut's shoulders are in the photo");
    }

    [Fact]
    public async Task PixelsOutsideTheGarmentRegionsAreExactlyThePhotos()
    {
        var photoBytes = TestPhotos.AstronautOrSkip();
        using var original = SKBitmap.Decode(photoBytes);

        var result = await _engine.RunAsync(new TryonRequest(photoBytes, [Top], TryonMode.Quality, Seed: 1), new Progress<TryonProgress>(), Cancellation);

        using var output = SKBitmap.Decode(result.Image);
        Assert.Equal((original.Width, original.Height), (output.Width, output.Height));
        var region = Assert.Single(result.GarmentRegions);
        var changedInside = 0;
        for (var y = 0; y < original.Height; y++)
        {
            for (var x = 0; x < original.Width; x++)
            {
                var same = original.GetPixel(x, y) == output.GetPixel(x, y);
                if (region.Contains(x, y))
                {
                    changedInside += same ? 0 : 1;
                }
                else
                {
                    Assert.True(same, $"pixel ({x},{y}) outside the garment region changed");
                }
            }
        }

        Assert.True(changedInside > region.Width * region.Height / 10, "the garment should cover a good part of its region");
        var face = Assert.Single(_detector.Detect(original));
        Assert.True(region.Top >= face.Box.Bottom, "nothing is drawn over the face");
    }

    [Fact]
    public async Task TheSameInputsAndSeedGiveTheSameBytesAndAnotherSeedDiffers()
    {
        var photo = FullLength(TestPhotos.AstronautOrSkip());
        var request = new TryonRequest(photo, [Top, Trousers], TryonMode.Fast, Seed: 42);

        var first = await _engine.RunAsync(request, new Progress<TryonProgress>(), Cancellation);
        var second = await _engine.RunAsync(request, new Progress<TryonProgress>(), Cancellation);
        var reseeded = await _engine.RunAsync(request with { Seed = 43 }, new Progress<TryonProgress>(), Cancellation);

        Assert.Equal(first.Image, second.Image);
        Assert.NotEqual(first.Image, reseeded.Image);
        Assert.Equal(2, first.GarmentRegions.Count);
    }

    [Fact]
    public async Task StagesAreReportedInOrderWithPreviews()
    {
        var stages = new List<TryonProgress>();
        var progress = new SynchronousProgress(stages.Add);

        await _engine.RunAsync(new TryonRequest(TestPhotos.AstronautOrSkip(), [Top], TryonMode.Fast, 7), progress, Cancellation);

        Assert.Equal(["validating", "detecting", "fitting", "compositing", "done"], stages.Select(stage => stage.Stage));
        Assert.Equal(stages.Select(stage => stage.Percent).Order(), stages.Select(stage => stage.Percent));
        var preview = stages.Single(stage => stage.Stage == "compositing").PreviewJpeg;
        using var previewBitmap = SKBitmap.Decode(preview);
        Assert.Equal(256, Math.Max(previewBitmap.Width, previewBitmap.Height));
    }

    [Fact]
    public async Task APhotoWithoutAPersonFails()
    {
        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            _engine.RunAsync(new TryonRequest(TestImages.Jpeg(640, 480), [Top], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal("no_person_detected", error.Code);
    }

    [Fact]
    public async Task APhotoOfTwoPeopleFails()
    {
        using var astronaut = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        using var pair = new SKBitmap(astronaut.Width * 2, astronaut.Height);
        using (var canvas = new SKCanvas(pair))
        {
            canvas.DrawBitmap(astronaut, 0, 0);
            canvas.DrawBitmap(astronaut, astronaut.Width, 0);
        }

        using var image = SKImage.FromBitmap(pair);
        var error = await Assert.ThrowsAsync<TryonFailedException>(() =>
            _engine.RunAsync(new TryonRequest(image.Encode(SKEncodedImageFormat.Png, 100).ToArray(), [Top], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal("multiple_people", error.Code);
    }

    [Theory]
    [InlineData("upper", "upper")]
    [InlineData("dress", "upper")]
    [InlineData("lower", "lower")]
    public async Task OnlyOneTopOneBottomBothOrOneDressAreAccepted(string first, string second)
    {
        var garment = GarmentArtist.Draw(GarmentKind.Tee, SKColors.Teal);

        var error = await Assert.ThrowsAsync<TryonFailedException>(() => _engine.RunAsync(
            new TryonRequest(TestImages.Jpeg(), [new(first, garment), new(second, garment)], TryonMode.Fast, 1), new Progress<TryonProgress>(), Cancellation));

        Assert.Equal("garment_combination_invalid", error.Code);
    }

    [Fact]
    public void APhotographedGarmentHasItsBackgroundRemoved()
    {
        using var shirt = new SKBitmap(400, 500);
        using (var canvas = new SKCanvas(shirt))
        {
            canvas.Clear(new SKColor(240, 240, 236));
            using var paint = new SKPaint { Color = SKColors.DarkGreen };
            canvas.DrawRect(new SKRect(100, 80, 300, 420), paint);
        }

        using var cutout = GarmentCutout.Cut(shirt);

        Assert.Equal((200, 340), (cutout.Width, cutout.Height));
        Assert.Equal(255, cutout.GetPixel(100, 170).Alpha);
    }

    /// <summary>The astronaut at the top of a tall canvas, so the legs' region is inside the photo for an outfit.</summary>
    private static byte[] FullLength(byte[] astronautBytes)
    {
        using var astronaut = SKBitmap.Decode(astronautBytes);
        using var tall = new SKBitmap(astronaut.Width, astronaut.Height * 3);
        using (var canvas = new SKCanvas(tall))
        {
            canvas.Clear(new SKColor(90, 90, 96));
            canvas.DrawBitmap(astronaut, 0, 0);
        }

        using var image = SKImage.FromBitmap(tall);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>Reports on the calling thread, so the order of stages is the order they happened in.</summary>
    private sealed class SynchronousProgress(Action<TryonProgress> report) : IProgress<TryonProgress>
    {
        public void Report(TryonProgress value) => report(value);
    }
}
