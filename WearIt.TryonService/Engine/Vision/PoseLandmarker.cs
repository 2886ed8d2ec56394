using OpenCvSharp;
using Cv = OpenCvSharp;
using OpenCvSharp.Dnn;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>One BlazePose landmark in photo pixels; <see cref="Visibility"/> is a probability (sigmoid applied).</summary>
public readonly record struct Landmark(float X, float Y, float Z, float Visibility)
{
    public SkiaSharp.SKPoint Point => new(X, Y);
}

/// <summary>
/// The 33 body landmarks of one person, the two alignment points, the model's pose flag, and its segmentation of the
/// region of interest (256x256 logits) with the affine transform from that crop back to the photo.
/// </summary>
public sealed record PoseLandmarks(IReadOnlyList<Landmark> Points, Landmark HipCentre, Landmark ScalePoint, float PoseFlag, float[] SegmentationLogits, double[] CropToPhoto)
{
    public const int SegmentationSide = 256;

    /// <summary>The person mask (0-255) the landmark model drew, in the photo's pixels; nothing outside the region of interest.</summary>
    public OpenCvSharp.Mat Mask(OpenCvSharp.Size photo)
    {
        using var logits = OpenCvSharp.Mat.FromPixelData(SegmentationSide, SegmentationSide, OpenCvSharp.MatType.CV_32FC1, SegmentationLogits);
        using var probability = new OpenCvSharp.Mat();
        // sigmoid(x) = 1 / (1 + e^-x)
        OpenCvSharp.Cv2.Multiply(logits, OpenCvSharp.Scalar.All(-1), probability);
        OpenCvSharp.Cv2.Exp(probability, probability);
        OpenCvSharp.Cv2.Add(probability, OpenCvSharp.Scalar.All(1), probability);
        OpenCvSharp.Cv2.Divide(1.0, probability, probability);
        using var transform = OpenCvSharp.Mat.FromPixelData(2, 3, OpenCvSharp.MatType.CV_64FC1, CropToPhoto);
        using var warped = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.WarpAffine(probability, warped, transform, photo, OpenCvSharp.InterpolationFlags.Linear, OpenCvSharp.BorderTypes.Constant, OpenCvSharp.Scalar.All(0));
        var mask = new OpenCvSharp.Mat();
        warped.ConvertTo(mask, OpenCvSharp.MatType.CV_8UC1, 255);
        return mask;
    }
}

/// <summary>
/// MediaPipe BlazePose "full" landmarks (from the npm package @mediapipe/pose) through OpenCV: a 256x256 crop of the
/// region of interest, rotated upright, RGB scaled by 1/255. Output <c>Identity</c> holds 39 points of
/// (x, y, z, visibility, presence) in crop pixels; points 33 and 34 align the next region of interest.
/// </summary>
public sealed class PoseLandmarker(TfliteModel model)
{
    public const string ModelFile = "pose_landmark_full.tflite";
    public const int Count = 33;
    private const int InputSize = 256;
    private const int Stride = 5;

    /// <summary>The landmarks inside a square region of interest centred on <paramref name="centre"/>, turned by <paramref name="angle"/> (radians, 0 = upright).</summary>
    public PoseLandmarks Detect(Mat rgb, Point2f centre, float side, float angle)
    {
        var scale = InputSize / side;
        var cos = MathF.Cos(angle) * scale;
        var sin = MathF.Sin(angle) * scale;
        using var toCrop = new Mat(2, 3, MatType.CV_64FC1);
        toCrop.Set(0, 0, (double)cos);
        toCrop.Set(0, 1, (double)sin);
        toCrop.Set(0, 2, (double)((InputSize / 2f) - (cos * centre.X) - (sin * centre.Y)));
        toCrop.Set(1, 0, (double)-sin);
        toCrop.Set(1, 1, (double)cos);
        toCrop.Set(1, 2, (double)((InputSize / 2f) + (sin * centre.X) - (cos * centre.Y)));

        using var crop = new Mat();
        Cv2.WarpAffine(rgb, crop, toCrop, new Size(InputSize, InputSize), InterpolationFlags.Linear, BorderTypes.Constant, Cv.Scalar.All(0));
        using var blob = CvDnn.BlobFromImage(crop, 1 / 255.0, new Size(InputSize, InputSize), new Cv.Scalar(0, 0, 0), swapRB: false, crop: false);
        var outputs = model.Run(blob);
        var raw = outputs["Identity"];
        var flag = outputs["Identity_1"][0];

        using var toPhoto = new Mat();
        Cv2.InvertAffineTransform(toCrop, toPhoto);
        var (a, b, c) = (toPhoto.At<double>(0, 0), toPhoto.At<double>(0, 1), toPhoto.At<double>(0, 2));
        var (d, e, f) = (toPhoto.At<double>(1, 0), toPhoto.At<double>(1, 1), toPhoto.At<double>(1, 2));
        Landmark At(int index)
        {
            var x = raw[index * Stride];
            var y = raw[(index * Stride) + 1];
            return new Landmark(
                (float)((a * x) + (b * y) + c),
                (float)((d * x) + (e * y) + f),
                raw[(index * Stride) + 2] / scale,
                Sigmoid(raw[(index * Stride) + 3]));
        }

        return new PoseLandmarks([.. Enumerable.Range(0, Count).Select(At)], At(33), At(34), flag, outputs["Identity_2"], [a, b, c, d, e, f]);
    }

    private static float Sigmoid(float value) => 1f / (1f + MathF.Exp(-value));
}
