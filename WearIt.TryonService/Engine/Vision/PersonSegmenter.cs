using OpenCvSharp;
using Cv = OpenCvSharp;
using OpenCvSharp.Dnn;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>
/// MediaPipe selfie segmentation (256x256, from the npm package @mediapipe/selfie_segmentation): the photo is
/// letterboxed (aspect kept, black padding), scaled to [0, 1] RGB, and the 256x256 person probability is cut back
/// out of the padding and resized to the photo.
/// </summary>
public sealed class PersonSegmenter(TfliteModel model)
{
    public const string ModelFile = "selfie_segmentation.tflite";
    private const int InputSize = 256;

    /// <summary>The person mask of an RGB photo: 0 background to 255 person, the photo's size.</summary>
    public Mat Segment(Mat rgb)
    {
        var box = Letterbox.Fit(rgb.Size(), InputSize);
        using var input = Letterbox.Draw(rgb, box, InputSize);
        using var blob = CvDnn.BlobFromImage(input, 1 / 255.0, new Size(InputSize, InputSize), new Cv.Scalar(0, 0, 0), swapRB: false, crop: false);
        var probabilities = model.Run(blob)["activation_10"];
        using var square = Mat.FromPixelData(InputSize, InputSize, MatType.CV_32FC1, probabilities);
        using var inside = new Mat(square, box.Drawn);
        using var resized = new Mat();
        Cv2.Resize(inside, resized, rgb.Size(), 0, 0, InterpolationFlags.Linear);
        var mask = new Mat();
        resized.ConvertTo(mask, MatType.CV_8UC1, 255);
        return mask;
    }
}

/// <summary>Where a photo lands inside a square model input when its aspect is kept and the rest is padded.</summary>
public readonly record struct Letterbox(Rect Drawn)
{
    public static Letterbox Fit(Size photo, int side)
    {
        var scale = Math.Min((double)side / photo.Width, (double)side / photo.Height);
        var width = Math.Max(1, (int)Math.Round(photo.Width * scale));
        var height = Math.Max(1, (int)Math.Round(photo.Height * scale));
        return new Letterbox(new Rect((side - width) / 2, (side - height) / 2, width, height));
    }

    public static Mat Draw(Mat photo, Letterbox box, int side)
    {
        var square = new Mat(side, side, photo.Type(), Cv.Scalar.All(0));
        using var scaled = new Mat();
        Cv2.Resize(photo, scaled, box.Drawn.Size, 0, 0, InterpolationFlags.Area);
        using var target = new Mat(square, box.Drawn);
        scaled.CopyTo(target);
        return square;
    }
}
