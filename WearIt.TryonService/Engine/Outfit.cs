namespace WearIt.TryonService.Engine;

/// <summary>What one try-on may combine, and the order garments are put on in.</summary>
public static class Outfit
{
    /// <summary>One upper, one lower, one upper and one lower, or one dress.</summary>
    public static void Check(IReadOnlyList<GarmentInput> garments)
    {
        var types = garments.Select(garment => garment.ClothType).Order().ToList();
        var valid = types switch
        {
            ["upper"] or ["lower"] or ["dress"] or ["lower", "upper"] => true,
            _ => false,
        };
        if (!valid)
        {
            throw new TryonFailedException("garment_combination_invalid", "Try on one top, one bottom, a top and a bottom, or one dress.");
        }
    }

    /// <summary>Bottoms first, then dresses, then tops: a top is worn over the waistband (untucked).</summary>
    public static int DrawOrder(string clothType) => clothType switch { "lower" => 0, "dress" => 1, _ => 2 };
}
