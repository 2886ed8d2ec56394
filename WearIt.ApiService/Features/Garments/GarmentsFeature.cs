namespace WearIt.ApiService.Features.Garments;

/// <summary>One view of a garment whichever its source (catalog or wardrobe), for favorites and TryonService.</summary>
public static class GarmentsFeature
{
    public static IHostApplicationBuilder AddGarments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<GarmentSources>();
        return builder;
    }
}
