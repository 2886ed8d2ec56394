using WearIt.ApiService.Features.Users;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>The product catalog: public pages and images, admin writes, the first start's seed.</summary>
public static class CatalogFeature
{
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.AddRepository<IProductRepository, MongoProductRepository, LiteDbProductRepository>();
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.AddSingleton<CatalogPageCache>();
        builder.Services.AddScoped<CatalogService>();
        builder.Services.AddHostedService<CatalogSeeder>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(CatalogEndpoints.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }
}
