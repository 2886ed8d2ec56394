using WearIt.ApiService.Features.AccountDeletion;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Wardrobe;

/// <summary>The user's own garments, each checked by TryonService's garment analysis.</summary>
public static class WardrobeFeature
{
    public static IHostApplicationBuilder AddWardrobe(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IWardrobeRepository, MongoWardrobeRepository, LiteDbWardrobeRepository>();
        builder.Services.AddScoped<WardrobeService>();
        builder.Services.AddHttpClient<IGarmentCheckClient, GarmentCheckClient>(http => http.BaseAddress = ServiceUrls.TryonService);
        builder.Services.AddUserDataEraser<IWardrobeRepository>((wardrobe, userId, cancellationToken) => wardrobe.DeleteAllForUserAsync(userId, cancellationToken));
        return builder;
    }
}
