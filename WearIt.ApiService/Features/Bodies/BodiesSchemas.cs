using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Bodies;

/// <summary>A body photo as its owner sees it.</summary>
public sealed record BodyResponse(Guid Id, string Status, bool IsDefault, ImageResponse Image, DateTime CreatedAt);

/// <summary>What TryonService needs of a body: object keys and image metadata.</summary>
public sealed record InternalBodyResponse(Guid Id, Guid UserId, string Status, string ImageKey, string ContentType, int Width, int Height);
