using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Features.Garments;

/// <summary>The garment categories and cloth types, and which belong together.</summary>
public static class GarmentTaxonomy
{
    public const string Upper = "upper";
    public const string Lower = "lower";
    public const string Dress = "dress";

    /// <summary>Each category and the cloth type a try-on treats it as.</summary>
    public static readonly IReadOnlyDictionary<string, string> ClothTypeOfCategory = new Dictionary<string, string>
    {
        ["tops"] = Upper,
        ["outerwear"] = Upper,
        ["bottoms"] = Lower,
        ["dresses"] = Dress,
    };

    public static readonly IReadOnlySet<string> ClothTypes = new HashSet<string> { Upper, Lower, Dress };

    /// <summary>Checks a category and cloth type, and that they agree (a skirt is not an upper garment).</summary>
    public static void Check(FieldErrors errors, string? category, string? clothType)
    {
        var knownCategory = category is not null && ClothTypeOfCategory.ContainsKey(category);
        errors.When(!knownCategory, "category", $"The category must be one of: {string.Join(", ", ClothTypeOfCategory.Keys)}.");
        errors.When(clothType is null || !ClothTypes.Contains(clothType), "clothType", $"The cloth type must be one of: {string.Join(", ", ClothTypes)}.");
        errors.When(knownCategory && clothType is not null && ClothTypes.Contains(clothType) && ClothTypeOfCategory[category!] != clothType,
            "clothType", $"A garment in '{category}' is worn as '{(knownCategory ? ClothTypeOfCategory[category!] : "")}'.");
    }
}
