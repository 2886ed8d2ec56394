using SkiaSharp;
using WearIt.Tests.Support;
using WearIt.TryonService.Engine;

namespace WearIt.Tests.Tryon;

/// <summary>Face detection on a real photo and on photos with no face or two faces.</summary>
public sealed class BlazeFaceDetectorTests : IDisposable
{
    private readonly BlazeFaceDetector _detector = new(BlazeFaceDetector.DefaultModelPath);

    public void Dispose() => _detector.Dispose();

    [Fact]
    public void TheAstronautHasOneFaceWithItsFeaturesInPlace()
    {
        using var photo = SKBitmap.Decode(TestPhotos.AstronautOrSkip());

        var faces = _detector.Detect(photo);

        var face = Assert.Single(faces);
        Assert.InRange(face.Score, 0.65f, 1f);
        Assert.InRange(face.Box.MidX, photo.Width * 0.3f, photo.Width * 0.7f);
        Assert.True(face.Box.Bottom < photo.Height * 0.5f, $"the face should be in the upper half, was {face.Box}");
        Assert.True(face.Box.Width > 40 && face.Box.Height > 40, $"box {face.Box}");
        Assert.True(face.RightEye.X < face.LeftEye.X, "the subject's right eye is on the image's left");
        Assert.True(face.RightEye.Y < face.Mouth.Y && face.LeftEye.Y < face.Mouth.Y, "eyes are above the mouth");
        Assert.True(face.Box.Contains(face.Nose), "the nose is inside the face box");
    }

    [Fact]
    public void TwoPeopleSideBySideAreTwoFaces()
    {
        using var astronaut = SKBitmap.Decode(TestPhotos.AstronautOrSkip());
        using var pair = new SKBitmap(astronaut.Width * 2, astronaut.Height);
        using (var canvas = new SKCanvas(pair))
        {
            canvas.DrawBitmap(astronaut, 0, 0);
            canvas.DrawBitmap(astronaut, astronaut.Width, 0);
        }

        var faces = _detector.Detect(pair);

        Assert.Equal(2, faces.Count);
        Assert.Equal([true, false], faces.OrderBy(face => face.Box.MidX).Select(face => face.Box.MidX < astronaut.Width));
    }

    [Fact]
    public void AGarmentOrABlankPhotoHasNoFace()
    {
        using var blank = new SKBitmap(640, 480);
        blank.Erase(SKColors.LightGray);
        using var garment = SKBitmap.Decode(WearIt.ApiService.Features.Catalog.GarmentArtist.Draw(WearIt.ApiService.Features.Catalog.GarmentKind.Hoodie, SKColors.Navy));

        Assert.Empty(_detector.Detect(blank));
        Assert.Empty(_detector.Detect(garment));
    }
}
