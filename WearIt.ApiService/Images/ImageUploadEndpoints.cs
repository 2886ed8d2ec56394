using Microsoft.AspNetCore.Mvc;

namespace WearIt.ApiService.Images;

/// <summary>Endpoint conventions shared by every route that takes an image upload.</summary>
public static class ImageUploadEndpoints
{
    /// <summary>
    /// Lets the request body reach the image limit plus room for the multipart framing and other fields, so the
    /// intake (not the server) answers an oversized image with a clear 413.
    /// </summary>
    public static RouteHandlerBuilder WithImageUploadLimit(this RouteHandlerBuilder route) =>
        route.WithMetadata(new RequestSizeLimitAttribute(new ImageIntakeOptions().MaxUploadBytes + (1024 * 1024)));
}
