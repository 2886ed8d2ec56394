using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>A photo of the user that try-ons dress.</summary>
public sealed class Body
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>processing</c> while TryonService analyses the photo, then <c>ready</c> or <c>rejected</c>.</summary>
    public string Status { get; set; } = BodyStatus.Ready;

    /// <summary>Why the photo cannot be dressed (a stable code such as <c>person_not_facing</c>), when rejected.</summary>
    public string? RejectionCode { get; set; }

    public string? RejectionMessage { get; set; }

    /// <summary>The analysis from upload; null while processing, when rejected, and for photos stored before analyses.</summary>
    public BodyAnalysis? Analysis { get; set; }

    /// <summary>The photo try-ons use when none is named.</summary>
    public bool IsDefault { get; set; }

    public StoredImage Image { get; set; } = new();

    public DateTime CreatedAt { get; set; }
}

public static class BodyStatus
{
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Rejected = "rejected";
}

/// <summary>
/// What TryonService found in the photo, kept with the body so every try-on reuses it: landmarks (x, y, z,
/// visibility each), the face box (left, top, right, bottom), the cloth types it can wear, and the object keys of the
/// person mask and of the regions an upper, a lower and a full-length garment may cover (PNG masks).
/// </summary>
public sealed class BodyAnalysis
{
    public int Width { get; set; }

    public int Height { get; set; }

    public float PoseFlag { get; set; }

    public float ChestWidth { get; set; }

    public float[] Face { get; set; } = [];

    public float[] Landmarks { get; set; } = [];

    public List<string> Wears { get; set; } = [];

    public string PersonMaskKey { get; set; } = "";

    public string UpperRegionKey { get; set; } = "";

    public string LowerRegionKey { get; set; } = "";

    public string FullRegionKey { get; set; } = "";

    public IEnumerable<string> Keys => [PersonMaskKey, UpperRegionKey, LowerRegionKey, FullRegionKey];
}
