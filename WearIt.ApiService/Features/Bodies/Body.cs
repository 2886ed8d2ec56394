using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>A photo of the user that try-ons dress.</summary>
public sealed class Body
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>ready</c> once the photo is stored and can be tried on.</summary>
    public string Status { get; set; } = BodyStatus.Ready;

    /// <summary>The photo try-ons use when none is named.</summary>
    public bool IsDefault { get; set; }

    public StoredImage Image { get; set; } = new();

    public DateTime CreatedAt { get; set; }
}

public static class BodyStatus
{
    public const string Ready = "ready";
}
