using WearIt.ServiceDefaults.Garments;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>The user's own garments; each is read by TryonService when added, and one it cannot read is not kept.</summary>
public sealed class WardrobeService(IWardrobeRepository items, ImageIntake intake, ImageStorage images, IGarmentCheckClient garmentCheck, TimeProvider time)
{
    public const int MaxNameLength = 100;

    public async Task<WardrobeItemResponse> AddAsync(
        Guid userId, IFormFile? file, string? category, string? clothType, string? name, string? kind, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        GarmentTaxonomy.Check(errors, category, clothType);
        GarmentTaxonomy.CheckKind(errors, kind, category);
        errors.When(name is { Length: > MaxNameLength }, "name", $"The name must be at most {MaxNameLength} characters.");
        errors.ThrowIfAny();

        var prepared = await intake.PrepareAsync(file, cancellationToken);
        var id = Guid.CreateVersion7();
        var item = await images.StoreThenRecordAsync($"users/{userId}/garments/{id}", prepared, async stored =>
        {
            var check = await garmentCheck.CheckAsync(stored.Key, clothType!, cancellationToken);
            if (check.Status != "ready")
            {
                var message = check.Message ?? "No garment could be made out in this image.";
                throw new DomainException(ErrorKind.Validation, check.Code ?? "garment_not_found", message, new Dictionary<string, string[]> { ["image"] = [message] });
            }

            var added = new WardrobeItem
            {
                Id = id,
                UserId = userId,
                Name = string.IsNullOrWhiteSpace(name) ? DefaultName(category!) : name.Trim(),
                Category = category!,
                ClothType = clothType!,
                Kind = kind,
                Image = stored,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            await items.InsertAsync(added, cancellationToken);
            return added;
        }, cancellationToken);

        return await ToResponseAsync(item, cancellationToken);
    }

    public async Task<IReadOnlyList<WardrobeItemResponse>> ListAsync(Guid userId, string? category, CancellationToken cancellationToken)
    {
        if (category is not null && !GarmentTaxonomy.ClothTypeOfCategory.ContainsKey(category))
        {
            throw DomainException.Validation(new Dictionary<string, string[]> { ["category"] = ["Unknown category."] });
        }

        var responses = new List<WardrobeItemResponse>();
        foreach (var item in await items.ListAsync(userId, category, cancellationToken))
        {
            responses.Add(await ToResponseAsync(item, cancellationToken));
        }

        return responses;
    }

    /// <summary>Every category with how many of the user's items are in it.</summary>
    public async Task<IReadOnlyList<WardrobeCategoryCount>> CategoriesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var all = await items.ListAsync(userId, null, cancellationToken);
        return [.. GarmentTaxonomy.ClothTypeOfCategory.Keys.Select(category => new WardrobeCategoryCount(category, all.Count(item => item.Category == category)))];
    }

    public async Task<WardrobeItem> FindAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await items.FindAsync(userId, id, cancellationToken) ?? throw DomainException.NotFound("The wardrobe item");

    public async Task<WardrobeItemResponse> GetAsync(Guid userId, Guid id, CancellationToken cancellationToken) =>
        await ToResponseAsync(await FindAsync(userId, id, cancellationToken), cancellationToken);

    public async Task<WardrobeItemResponse> UpdateAsync(Guid userId, Guid id, UpdateWardrobeItemRequest request, CancellationToken cancellationToken)
    {
        var item = await FindAsync(userId, id, cancellationToken);
        var category = request.Category ?? item.Category;
        var clothType = request.ClothType ?? (request.Category is not null ? GarmentTaxonomy.ClothTypeOfCategory.GetValueOrDefault(request.Category) : item.ClothType);
        var errors = new FieldErrors();
        GarmentTaxonomy.Check(errors, category, clothType);
        // A new category without a kind drops the old kind unless it still fits.
        var kind = request.Kind ?? (item.Kind is { } old && GarmentTaxonomy.CategoryOfKind.GetValueOrDefault(old) is { } of && of != category ? null : item.Kind);
        GarmentTaxonomy.CheckKind(errors, kind, category);
        errors.When(request.Name is not null && (request.Name.Trim().Length == 0 || request.Name.Length > MaxNameLength), "name",
            $"The name must be 1 to {MaxNameLength} characters.");
        errors.ThrowIfAny();

        item.Name = request.Name?.Trim() ?? item.Name;
        item.Category = category;
        item.ClothType = clothType!;
        item.Kind = kind;
        if (!await items.ReplaceAsync(item, cancellationToken))
        {
            throw DomainException.NotFound("The wardrobe item");
        }

        return await ToResponseAsync(item, cancellationToken);
    }

    public async Task DeleteAsync(Guid userId, Guid id, CancellationToken cancellationToken)
    {
        var item = await FindAsync(userId, id, cancellationToken);
        if (!await items.DeleteAsync(userId, id, cancellationToken))
        {
            throw DomainException.NotFound("The wardrobe item");
        }

        await images.DeleteAsync(item.Image, cancellationToken);
    }

    private async Task<WardrobeItemResponse> ToResponseAsync(WardrobeItem item, CancellationToken cancellationToken) =>
        new(item.Id, item.Name, item.Category, item.ClothType, item.Kind, await images.ToResponseAsync(item.Image, cancellationToken), item.CreatedAt);

    private static string DefaultName(string category) => category switch
    {
        "tops" => "My top",
        "bottoms" => "My bottoms",
        "dresses" => "My dress",
        _ => "My jacket",
    };
}
