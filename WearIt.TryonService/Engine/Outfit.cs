using WearIt.ServiceDefaults.Garments;

namespace WearIt.TryonService.Engine;

/// <summary>The engines' check of <see cref="GarmentTaxonomy.IsOutfit"/>, as a try-on failure.</summary>
public static class Outfit
{
    public static void Check(IReadOnlyList<GarmentInput> garments)
    {
        if (!GarmentTaxonomy.IsOutfit(garments.Select(garment => garment.ClothType)))
        {
            throw new TryonFailedException("garment_combination_invalid", GarmentTaxonomy.OutfitRule);
        }
    }
}
