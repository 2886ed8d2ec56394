using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>
/// Catalog images are public: served under stable, unsigned URLs that caches may keep for a year
/// (<c>/api/v1/catalog/images/{product}/{image}/{original|thumbnail}</c>). An image id's bytes never change (a new
/// image gets a new id), so the URL is immutable and its ETag is the id. Only users' own photos and results carry
/// signatures; a catalog page no longer signs 48 URLs per response.
/// </summary>
public static class CatalogImages
{
    public const string Original = "original";
    public const string Thumbnail = "thumbnail";
    private const string CacheControl = "public, max-age=31536000, immutable";

    public static IEndpointRouteBuilder MapCatalogImages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/catalog/images/{productId:guid}/{imageId:guid}/{variant}", ServeAsync)
            .WithTags("Catalog").WithName("CatalogImage").ProducesProblems(404)
            .WithSummary("A catalog image (original or thumbnail): public, unsigned, cacheable for a year.");
        return app;
    }

    /// <summary>The stable URL of one of a product's images, on the origin of the current request (relative outside one).</summary>
    public static Uri UrlFor(HttpContext? http, Guid productId, Guid imageId, string variant)
    {
        var path = $"/api/v1/catalog/images/{productId:N}/{imageId:N}/{variant}";
        return http is null ? new Uri(path, UriKind.Relative) : new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{path}");
    }

    private static ProblemHttpResult NoSuchImage() =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, detail: "No such image.", extensions: new Dictionary<string, object?> { ["code"] = "not_found" });

    private static async Task<IResult> ServeAsync(
        Guid productId, Guid imageId, string variant, HttpContext http, CatalogService catalog, IObjectStore objects, CancellationToken cancellationToken)
    {
        if (variant is not (Original or Thumbnail))
        {
            return NoSuchImage();
        }

        var product = await catalog.FindAsync(productId, cancellationToken);
        if (product.Images.FirstOrDefault(image => image.Id == imageId) is not { } image)
        {
            return NoSuchImage();
        }

        var etag = new EntityTagHeaderValue($"\"{imageId:N}.{variant}\"");
        http.Response.Headers.CacheControl = CacheControl;
        http.Response.Headers.ETag = etag.ToString();
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(candidate => candidate.Compare(etag, useStrongComparison: false) || candidate == EntityTagHeaderValue.Any))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var stored = await objects.GetAsync(variant == Original ? image.Image.Key : image.Image.ThumbnailKey, cancellationToken);
        if (stored is null)
        {
            http.Response.Headers.Remove("Cache-Control");
            return NoSuchImage();
        }

        // The stream result disposes the content when the response is written.
        return TypedResults.Stream(stored.Content, stored.Info.ContentType);
    }
}
