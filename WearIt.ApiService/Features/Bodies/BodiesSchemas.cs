using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>
/// A body photo as its owner sees it: <c>processing</c> while it is checked, then <c>ready</c> (with the cloth types
/// it can wear: upper, lower, dress) or <c>rejected</c> (with the reason).
/// </summary>
public sealed record BodyResponse(
    Guid Id, string Status, bool IsDefault, ImageResponse Image, DateTime CreatedAt, BodyRejection? Rejection, IReadOnlyList<string> Wears, BodyMasks? Masks);

/// <summary>
/// Once ready: signed URLs of the analysis's region masks (PNG, the photo's size, white where a garment of that cloth
/// type may cover the body), for clients that composite a result onto the photo themselves.
/// </summary>
public sealed record BodyMasks(Uri Upper, Uri Lower, Uri Full);

/// <summary>Why a photo cannot be dressed: a stable code (<c>no_person_detected</c>, <c>multiple_people</c>, <c>person_not_facing</c> …) and a sentence.</summary>
public sealed record BodyRejection(string Code, string Message);

/// <summary>What TryonService needs of a body: object keys, image metadata, the analysis state and the analysis.</summary>
public sealed record InternalBodyResponse(
    Guid Id, Guid UserId, string Status, string ImageKey, string ContentType, int Width, int Height, string? RejectionCode, string? RejectionMessage, BodyAnalysis? Analysis);
