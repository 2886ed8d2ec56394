namespace WearIt.ServiceDefaults.Garments;

/// <summary>
/// What makes two outfits the same: the body and the set of garments (in any order). Favorites and try-on versions
/// are keyed by it, so both services must build it alike.
/// </summary>
public static class OutfitKeys
{
    public static string Of(Guid? bodyId, IEnumerable<(string Source, Guid Id)> garments) =>
        $"{bodyId:N}|{string.Join(',', garments.Select(garment => $"{garment.Source}:{garment.Id:N}").Order(StringComparer.Ordinal))}";
}
