using WearIt.ServiceDefaults.Errors;

namespace WearIt.ServiceDefaults.Garments;

/// <summary>
/// The vocabulary both services share: the garment categories, the cloth types a try-on treats them as, and which
/// cloth types one try-on may combine (<see cref="IsOutfit"/>) in which order they are put on (<see cref="DrawOrder"/>).
/// </summary>
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

    /// <summary>What a garment is, finer than its category, and the category it belongs to (null: any, by cloth type).</summary>
    public static readonly IReadOnlyDictionary<string, string?> CategoryOfKind = new Dictionary<string, string?>
    {
        ["tshirt"] = "tops",
        ["shirt"] = "tops",
        ["sweater"] = "tops",
        ["hoodie"] = "tops",
        ["jacket"] = "outerwear",
        ["coat"] = "outerwear",
        ["pants"] = "bottoms",
        ["shorts"] = "bottoms",
        ["skirt"] = "bottoms",
        ["dress"] = "dresses",
        // A costume is worn as whatever part of the body it covers.
        ["costume"] = null,
    };

    /// <summary>The category a garment of <paramref name="kind"/> worn as <paramref name="clothType"/> belongs to, if the kind is known.</summary>
    public static string? CategoryFor(string kind, string? clothType) =>
        CategoryOfKind.TryGetValue(kind, out var category)
            ? category ?? clothType switch { Upper => "tops", Lower => "bottoms", Dress => "dresses", _ => null }
            : null;

    /// <summary>Checks an optional kind: known, and of the garment's category.</summary>
    public static void CheckKind(FieldErrors errors, string? kind, string? category)
    {
        if (kind is null)
        {
            return;
        }

        if (!CategoryOfKind.ContainsKey(kind))
        {
            errors.Add("kind", $"The kind must be one of: {string.Join(", ", CategoryOfKind.Keys)}.");
            return;
        }

        var expected = CategoryOfKind[kind];
        errors.When(expected is not null && category is not null && ClothTypeOfCategory.ContainsKey(category) && expected != category,
            "kind", $"A {kind} belongs in '{expected}'.");
    }

    /// <summary>What a user is told when <see cref="IsOutfit"/> refuses a combination.</summary>
    public const string OutfitRule = "Try on one top, one bottom, a top and a bottom, or one dress.";

    /// <summary>Checks a category and cloth type, and that they agree (a skirt is not an upper garment).</summary>
    public static void Check(FieldErrors errors, string? category, string? clothType)
    {
        var knownCategory = category is not null && ClothTypeOfCategory.ContainsKey(category);
        errors.When(!knownCategory, "category", $"The category must be one of: {string.Join(", ", ClothTypeOfCategory.Keys)}.");
        errors.When(clothType is null || !ClothTypes.Contains(clothType), "clothType", $"The cloth type must be one of: {string.Join(", ", ClothTypes)}.");
        errors.When(knownCategory && clothType is not null && ClothTypes.Contains(clothType) && ClothTypeOfCategory[category!] != clothType,
            "clothType", $"A garment in '{category}' is worn as '{(knownCategory ? ClothTypeOfCategory[category!] : "")}'.");
    }

    /// <summary>One upper, one lower, one upper and one lower, or one dress.</summary>
    public static bool IsOutfit(IEnumerable<string> clothTypes) =>
        clothTypes.Order(StringComparer.Ordinal).ToList() switch
        {
            [Upper] or [Lower] or [Dress] or [Lower, Upper] => true,
            _ => false,
        };

    /// <summary>Bottoms first, then dresses, then tops: a top is worn over the waistband (untucked).</summary>
    public static int DrawOrder(string clothType) => clothType switch { Lower => 0, Dress => 1, _ => 2 };
}
