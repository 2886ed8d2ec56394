using System.Text.Json;
using WearIt.ServiceDefaults.Garments;

namespace WearIt.Gateway.Mobile;

/// <summary>
/// <c>/mobile/v1/clothing</c>: the app's garments on ApiService's wardrobe API. The app's categories are WearIt's garment
/// kinds (<see cref="GarmentTaxonomy.CategoryOfKind"/>); the wardrobe keeps the kind, so the app reads back what it sent.
/// </summary>
public static class MobileClothingEndpoints
{
    public static RouteGroupBuilder MapMobileClothing(this RouteGroupBuilder mobile)
    {
        var clothing = mobile.MapGroup("/clothing");
        clothing.MapPost("/upload", UploadAsync).DisableAntiforgery().WithMetadata(MobileUploads.SizeLimit);
        clothing.MapGet("/", ListAsync);
        clothing.MapDelete("/{id:guid}", DeleteAsync);
        return mobile;
    }

    private static async Task<IResult> UploadAsync(
        HttpContext http, string? category, string? cloth_type, string? name, WearItServices services, CancellationToken cancellationToken)
    {
        var kind = category?.Trim().ToLowerInvariant();
        var clothType = cloth_type?.Trim().ToLowerInvariant();
        if (kind is null || !GarmentTaxonomy.CategoryOfKind.ContainsKey(kind))
        {
            throw MobileProblem.BadRequest($"The category must be one of: {string.Join(", ", GarmentTaxonomy.CategoryOfKind.Keys)}.");
        }

        if (clothType is null || !GarmentTaxonomy.ClothTypes.Contains(clothType))
        {
            throw MobileProblem.BadRequest($"The cloth_type must be one of: {string.Join(", ", GarmentTaxonomy.ClothTypes)}.");
        }

        // ApiService checks that the kind's category and the cloth type agree (a skirt is not worn as 'upper').
        var wearItCategory = GarmentTaxonomy.CategoryFor(kind, clothType)!;
        using var form = await MobileUploads.FileAsync(http.Request, "file", "image", cancellationToken);
        form.Add(new StringContent(wearItCategory), "category");
        form.Add(new StringContent(clothType), "clothType");
        form.Add(new StringContent(kind), "kind");
        if (!string.IsNullOrWhiteSpace(name))
        {
            form.Add(new StringContent(name), "name");
        }

        var item = await services.SendAsync(http, WearItServices.Api, HttpMethod.Post, "/api/v1/wardrobe", form, cancellationToken: cancellationToken);
        return MobileJson.Ok(Clothing(item));
    }

    private static async Task<IResult> ListAsync(HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        var items = await services.SendAsync(http, WearItServices.Api, HttpMethod.Get, "/api/v1/wardrobe", cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Clothes = items.Items().Select(Clothing).ToList() });
    }

    private static async Task<IResult> DeleteAsync(Guid id, HttpContext http, WearItServices services, CancellationToken cancellationToken)
    {
        await services.SendAsync(http, WearItServices.Api, HttpMethod.Delete, $"/api/v1/wardrobe/{id}", cancellationToken: cancellationToken);
        return MobileJson.Ok(new { Success = true, Message = "The garment is deleted." });
    }

    /// <summary>A wardrobe item in the app's shape; one added without a kind (on the web) shows as its category's plainest kind.</summary>
    private static object Clothing(JsonElement item)
    {
        var image = item.Child("image");
        return new
        {
            Id = item.Text("id"),
            ClothingId = item.Text("id"),
            ImageUrl = image.Text("url"),
            ResizedUrl = image.Text("thumbnailUrl"),
            Category = item.Text("kind") ?? item.Text("category") switch
            {
                "tops" => "shirt",
                "outerwear" => "jacket",
                "bottoms" => "pants",
                "dresses" => "dress",
                var other => other,
            },
            ClothType = item.Text("clothType"),
            Name = item.Text("name"),
            CreatedAt = item.Text("createdAt"),
        };
    }
}
