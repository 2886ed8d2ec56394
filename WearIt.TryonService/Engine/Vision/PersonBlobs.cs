using OpenCvSharp;
using Cv = OpenCvSharp;

namespace WearIt.TryonService.Engine.Vision;

/// <summary>One connected blob of the person mask.</summary>
public sealed record PersonBlob(int Label, Rect Box, int Area);

/// <summary>Separates the person mask into blobs, so a second person and a stray patch of background can be told apart.</summary>
public static class PersonBlobs
{
    public static IReadOnlyList<PersonBlob> Find(Mat binary)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var count = Cv2.ConnectedComponentsWithStats(binary, labels, stats, centroids, PixelConnectivity.Connectivity8);
        var blobs = new List<PersonBlob>(count);
        for (var label = 1; label < count; label++)
        {
            var box = new Rect(
                stats.At<int>(label, (int)ConnectedComponentsTypes.Left),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Top),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Width),
                stats.At<int>(label, (int)ConnectedComponentsTypes.Height));
            blobs.Add(new PersonBlob(label, box, stats.At<int>(label, (int)ConnectedComponentsTypes.Area)));
        }

        return blobs;
    }
}
