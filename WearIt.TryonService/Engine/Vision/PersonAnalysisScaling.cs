using OpenCvSharp;
using SkiaSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>Moves an analysis made on one size of a photo to another size of the same photo.</summary>
public static class PersonAnalysisScaling
{
    /// <summary>The analysis in the pixels of the photo scaled to <paramref name="width"/> x <paramref name="height"/>.</summary>
    public static PersonAnalysis Resized(this PersonAnalysis person, int width, int height)
    {
        if (person.Width == width && person.Height == height)
        {
            return person;
        }

        var (sx, sy) = ((float)width / person.Width, (float)height / person.Height);
        return new PersonAnalysis(
            width,
            height,
            [.. person.Landmarks.Select(point => point with { X = point.X * sx, Y = point.Y * sy, Z = point.Z * sx })],
            person.PoseFlag,
            new SKRect(person.Face.Left * sx, person.Face.Top * sy, person.Face.Right * sx, person.Face.Bottom * sy),
            Mask(person.PersonMask, person, width, height, InterpolationFlags.Linear),
            Mask(person.UpperRegion, person, width, height, InterpolationFlags.Nearest),
            Mask(person.LowerRegion, person, width, height, InterpolationFlags.Nearest),
            Mask(person.FullRegion, person, width, height, InterpolationFlags.Nearest),
            person.ChestWidth * sx);
    }

    private static byte[] Mask(byte[] mask, PersonAnalysis person, int width, int height, InterpolationFlags interpolation)
    {
        using var source = VisionImages.FromMask(mask, person.Width, person.Height);
        using var resized = new Mat();
        Cv2.Resize(source, resized, new Size(width, height), 0, 0, interpolation);
        return VisionImages.ToBytes(resized);
    }
}
