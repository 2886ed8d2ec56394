using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc;

namespace WearIt.ApiService.Images;

/// <summary>Endpoint conventions shared by every route that takes an image upload.</summary>
public static class ImageUploadEndpoints
{
    /// <summary>
    /// Lets the request body reach the image limit plus room for the multipart framing and other fields, so the
    /// intake (not the server) answers an oversized image with a clear 413; and rate-limits the route per user.
    /// </summary>
    public static RouteHandlerBuilder WithImageUploadLimit(this RouteHandlerBuilder route) =>
        route.WithMetadata(new RequestSizeLimitAttribute(new ImageIntakeOptions().MaxUploadBytes + (1024 * 1024)))
            .RequireRateLimiting(UploadsPolicy);

    /// <summary>The rate-limit policy of every upload route: <see cref="ImageIntakeOptions.UploadsPerMinute"/> per user.</summary>
    public const string UploadsPolicy = "uploads";

    /// <summary>
    /// Registers <see cref="UploadsPolicy"/>: a fixed window per signed-in user (by address for a request that is not
    /// signed in, which the route refuses anyway). It runs before the body is read, so a refused upload costs nothing.
    /// </summary>
    public static IServiceCollection AddUploadRateLimiting(this IServiceCollection services) =>
        services.Configure<RateLimiterOptions>(limiter => limiter.AddPolicy(UploadsPolicy, context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<ImageIntakeOptions>>().Value;
            var user = context.User.FindFirst("sub")?.Value ?? "address:" + context.Connection.RemoteIpAddress;
            return RateLimitPartition.GetFixedWindowLimiter(user, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.UploadsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        }));
}
