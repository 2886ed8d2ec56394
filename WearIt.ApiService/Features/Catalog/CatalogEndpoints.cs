using WearIt.ServiceDefaults.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;
using WearIt.ApiService.Http;
using WearIt.ApiService.Images;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>The <c>/api/v1/catalog</c> routes: public reads with ETags, admin writes.</summary>
public static class CatalogEndpoints
{
    public const string AdminPolicy = "admin";

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/catalog").WithTags("Catalog");

        group.MapGet("/products", SearchAsync).WithName("SearchProducts").ProducesProblems(400)
            .WithSummary("Pages of products: q (title, brand, tags), category, brand, color, gender, minPrice, maxPrice, sort (relevance, newest, price_asc, price_desc).");
        group.MapGet("/products/{id:guid}", GetAsync).WithName("GetProduct").ProducesProblems(404).WithSummary("One product.");
        group.MapGet("/filters", FiltersAsync).WithName("CatalogFilters").WithSummary("Every filter value with its product count.");

        var admin = group.MapGroup("/products").RequireAuthorization(AdminPolicy);
        admin.MapPost("/", CreateAsync).WithName("CreateProduct").ProducesProblems(400, 401, 403).WithSummary("Creates a product (admin).");
        admin.MapPut("/{id:guid}", UpdateAsync).WithName("UpdateProduct").ProducesProblems(400, 401, 403, 404, 409).WithSummary("Replaces a product's fields (admin).");
        admin.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteProduct").ProducesProblems(401, 403, 404).WithSummary("Deletes a product and its images (admin).");
        admin.MapPost("/{id:guid}/images", AddImageAsync).WithName("AddProductImage").ProducesProblems(400, 401, 403, 404, 413, 415)
            .WithSummary("Adds an image (multipart field 'image') to a product (admin).")
            .DisableAntiforgery()
            .WithImageUploadLimit();
        app.MapCatalogImages();
        return app;
    }

    private static async Task<Results<JsonBytes<ProductPage>, StatusCodeHttpResult>> SearchAsync(
        [AsParameters] ProductQuery query, HttpContext http, CatalogService catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var (page, fingerprint) = await catalog.SearchJsonAsync(query, cancellationToken);
        return ETags.IsNotModified(http, ETags.For($"{fingerprint}|{http.Request.QueryString}", time))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : new JsonBytes<ProductPage>(page);
    }

    private static async Task<Results<Ok<ProductResponse>, StatusCodeHttpResult>> GetAsync(
        Guid id, HttpContext http, CatalogService catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var product = await catalog.FindAsync(id, cancellationToken);
        return ETags.IsNotModified(http, ETags.For($"{product.Id}:{product.Version}", time))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(await catalog.ToResponseAsync(product, cancellationToken));
    }

    private static async Task<Results<Ok<CatalogFilters>, StatusCodeHttpResult>> FiltersAsync(
        HttpContext http, CatalogService catalog, TimeProvider time, CancellationToken cancellationToken)
    {
        var (filters, fingerprint) = await catalog.FiltersAsync(cancellationToken);
        return ETags.IsNotModified(http, ETags.For($"{fingerprint}|filters", time))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(filters);
    }

    private static async Task<Created<ProductResponse>> CreateAsync(ProductRequest request, CatalogService catalog, CancellationToken cancellationToken)
    {
        var product = await catalog.CreateAsync(request, cancellationToken);
        return TypedResults.Created($"/api/v1/catalog/products/{product.Id}", await catalog.ToResponseAsync(product, cancellationToken));
    }

    private static async Task<Ok<ProductResponse>> UpdateAsync(Guid id, ProductRequest request, CatalogService catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ToResponseAsync(await catalog.UpdateAsync(id, request, cancellationToken), cancellationToken));

    private static async Task<NoContent> DeleteAsync(Guid id, CatalogService catalog, CancellationToken cancellationToken)
    {
        await catalog.DeleteAsync(id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Created<ProductResponse>> AddImageAsync(Guid id, IFormFile? image, CatalogService catalog, CancellationToken cancellationToken)
    {
        var product = await catalog.AddImageAsync(id, image, cancellationToken);
        return TypedResults.Created($"/api/v1/catalog/products/{id}", await catalog.ToResponseAsync(product, cancellationToken));
    }
}
