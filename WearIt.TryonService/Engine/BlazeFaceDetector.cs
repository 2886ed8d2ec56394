using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SkiaSharp;

namespace WearIt.TryonService.Engine;

/// <summary>A face found in a photo, in the photo's pixels.</summary>
/// <param name="Box">The tight face box (brows to mouth).</param>
/// <param name="Score">The detector's confidence, 0 to 1.</param>
/// <param name="Keypoints">Right eye, left eye, nose tip, mouth, right ear, left ear (the subject's right and left).</param>
public sealed record DetectedFace(SKRect Box, float Score, IReadOnlyList<SKPoint> Keypoints)
{
    public SKPoint RightEye => Keypoints[0];
    public SKPoint LeftEye => Keypoints[1];
    public SKPoint Nose => Keypoints[2];
    public SKPoint Mouth => Keypoints[3];
    public SKPoint RightEar => Keypoints[4];
    public SKPoint LeftEar => Keypoints[5];
}

/// <summary>
/// MediaPipe BlazeFace (the 256x256 "back" model) through ONNX Runtime. The photo is letterboxed into the
/// 256x256 input (aspect kept, centred, black padding), scaled to [-1, 1] RGB, and the 896 anchor outputs are decoded,
/// thresholded and merged by weighted non-maximum suppression.
/// </summary>
public sealed class BlazeFaceDetector : IDisposable
{
    public const int InputSize = 256;
    public const float DefaultThreshold = 0.65f;
    private const float SuppressionIoU = 0.3f;
    private const int Keypoints = 6;

    private static readonly SKPoint[] Anchors = CreateAnchors();
    private readonly InferenceSession _session;

    public BlazeFaceDetector(string modelPath)
    {
        using var options = new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(modelPath, options);
    }

    /// <summary>The model shipped next to the service's binaries by the build.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "Models", "blazeface-back-256.onnx");

    /// <summary>Every face scoring at least <paramref name="threshold"/>, best first. The photo must already be upright.</summary>
    public IReadOnlyList<DetectedFace> Detect(SKBitmap photo, float threshold = DefaultThreshold)
    {
        var scale = Math.Min((float)InputSize / photo.Width, (float)InputSize / photo.Height);
        var drawnWidth = photo.Width * scale;
        var drawnHeight = photo.Height * scale;
        var offsetX = (InputSize - drawnWidth) / 2;
        var offsetY = (InputSize - drawnHeight) / 2;

        var input = new DenseTensor<float>([1, InputSize, InputSize, 3]);
        using (var letterboxed = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Premul)))
        {
            using (var canvas = new SKCanvas(letterboxed))
            {
                canvas.Clear(SKColors.Black);
                using var image = SKImage.FromBitmap(photo);
                canvas.DrawImage(image, new SKRect(offsetX, offsetY, offsetX + drawnWidth, offsetY + drawnHeight), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            }

            var pixels = letterboxed.Pixels;
            var span = input.Buffer.Span;
            for (var i = 0; i < pixels.Length; i++)
            {
                span[(i * 3) + 0] = (pixels[i].Red / 127.5f) - 1f;
                span[(i * 3) + 1] = (pixels[i].Green / 127.5f) - 1f;
                span[(i * 3) + 2] = (pixels[i].Blue / 127.5f) - 1f;
            }
        }

        using var results = _session.Run([NamedOnnxValue.CreateFromTensor("input:0", input)]);
        var outputs = results.ToDictionary(result => result.Name, result => result.AsTensor<float>());
        var scores = outputs["Identity:0"].Concat(outputs["Identity_1:0"]).ToArray();
        var boxes = outputs["Identity_2:0"].Concat(outputs["Identity_3:0"]).ToArray();

        var candidates = new List<DetectedFace>();
        for (var anchor = 0; anchor < Anchors.Length; anchor++)
        {
            var score = Sigmoid(scores[anchor]);
            if (score < threshold)
            {
                continue;
            }

            var row = boxes.AsSpan(anchor * 16, 16);
            var centre = Anchors[anchor];
            var cx = (row[0] / InputSize) + centre.X;
            var cy = (row[1] / InputSize) + centre.Y;
            var w = row[2] / InputSize;
            var h = row[3] / InputSize;
            var points = new SKPoint[Keypoints];
            for (var k = 0; k < Keypoints; k++)
            {
                points[k] = ToPhoto((row[4 + (k * 2)] / InputSize) + centre.X, (row[5 + (k * 2)] / InputSize) + centre.Y);
            }

            var topLeft = ToPhoto(cx - (w / 2), cy - (h / 2));
            var bottomRight = ToPhoto(cx + (w / 2), cy + (h / 2));
            candidates.Add(new DetectedFace(new SKRect(topLeft.X, topLeft.Y, bottomRight.X, bottomRight.Y), score, points));
        }

        return WeightedSuppression(candidates);

        // From the model's [0, 1] letterboxed frame to the photo's pixels.
        SKPoint ToPhoto(float x, float y) => new(((x * InputSize) - offsetX) / scale, ((y * InputSize) - offsetY) / scale);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Anchor centres: strides 16, 32, 32, 32 with 2 anchors each; layers of one stride share a grid.</summary>
    private static SKPoint[] CreateAnchors()
    {
        var anchors = new List<SKPoint>(896);
        foreach (var (featureMap, perCell) in new[] { (16, 2), (8, 6) })
        {
            for (var y = 0; y < featureMap; y++)
            {
                for (var x = 0; x < featureMap; x++)
                {
                    for (var n = 0; n < perCell; n++)
                    {
                        anchors.Add(new SKPoint((x + 0.5f) / featureMap, (y + 0.5f) / featureMap));
                    }
                }
            }
        }

        return [.. anchors];
    }

    /// <summary>MediaPipe's weighted NMS: overlapping detections are averaged by score into one.</summary>
    private static List<DetectedFace> WeightedSuppression(List<DetectedFace> candidates)
    {
        var remaining = candidates.OrderByDescending(face => face.Score).ToList();
        var faces = new List<DetectedFace>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var cluster = remaining.Where(face => IoU(best.Box, face.Box) > SuppressionIoU).ToList();
            remaining = [.. remaining.Except(cluster)];

            var total = cluster.Sum(face => face.Score);
            float Average(Func<DetectedFace, float> value) => cluster.Sum(face => value(face) * face.Score) / total;
            var box = new SKRect(Average(face => face.Box.Left), Average(face => face.Box.Top), Average(face => face.Box.Right), Average(face => face.Box.Bottom));
            var points = Enumerable.Range(0, Keypoints)
                .Select(k => new SKPoint(Average(face => face.Keypoints[k].X), Average(face => face.Keypoints[k].Y)))
                .ToArray();
            faces.Add(new DetectedFace(box, best.Score, points));
        }

        return faces;
    }

    private static float IoU(SKRect a, SKRect b)
    {
        var intersection = SKRect.Intersect(a, b);
        if (intersection.IsEmpty)
        {
            return 0;
        }

        var overlap = intersection.Width * intersection.Height;
        return overlap / ((a.Width * a.Height) + (b.Width * b.Height) - overlap);
    }

    private static float Sigmoid(float value) => 1f / (1f + MathF.Exp(-value));
}
