using System.Globalization;
using SkiaSharp;
using WearIt.ApiService.Images;
using WearIt.ServiceDefaults.Databases;

namespace WearIt.ApiService.Features.Catalog;

/// <summary>
/// Fills an empty catalog on start with 64 products (8 garment shapes in 8 colours) and drawn images, so a fresh
/// install can be browsed and tried on at once. <c>WearIt:Catalog:Seed</c> turns it on or off; by default it is on
/// in Development and in embedded mode.
/// </summary>
public sealed partial class CatalogSeeder(IServiceScopeFactory scopes, IConfiguration configuration, IHostEnvironment environment, ILogger<CatalogSeeder> logger)
    : IHostedService
{
    public const string SeedKey = "WearIt:Catalog:Seed";

    private static readonly (string Name, string Hex)[] Palette =
    [
        ("black", "#1F1F1F"), ("white", "#F2F2F2"), ("navy", "#1F2A44"), ("red", "#B3261E"),
        ("green", "#2E7D32"), ("beige", "#D8C3A5"), ("grey", "#8A8D91"), ("blue", "#3B6FB6"),
    ];

    private static readonly string[] Brands = ["Northwind", "Fabrikam", "Contoso", "Tailspin", "Adatum", "Litware"];
    private static readonly string[] Styles = ["Classic", "Relaxed", "Slim", "Everyday", "Essential", "Weekend", "City", "Studio"];

    private static readonly Dictionary<GarmentKind, (string Noun, string Category, decimal BasePrice, string[] Sizes)> Kinds = new()
    {
        [GarmentKind.Tee] = ("T-shirt", "tops", 19.90m, ["XS", "S", "M", "L", "XL"]),
        [GarmentKind.Shirt] = ("Shirt", "tops", 39.90m, ["XS", "S", "M", "L", "XL"]),
        [GarmentKind.Hoodie] = ("Hoodie", "tops", 49.90m, ["S", "M", "L", "XL"]),
        [GarmentKind.Jacket] = ("Jacket", "outerwear", 89.90m, ["S", "M", "L", "XL"]),
        [GarmentKind.Trousers] = ("Trousers", "bottoms", 59.90m, ["28", "30", "32", "34", "36"]),
        [GarmentKind.Shorts] = ("Shorts", "bottoms", 29.90m, ["28", "30", "32", "34"]),
        [GarmentKind.Skirt] = ("Skirt", "bottoms", 44.90m, ["XS", "S", "M", "L"]),
        [GarmentKind.Dress] = ("Dress", "dresses", 69.90m, ["XS", "S", "M", "L"]),
    };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var enabled = configuration.GetValue<bool?>(SeedKey)
            ?? (environment.IsDevelopment() || configuration.GetValue<DatabaseProvider>("WearIt:Database:Provider") == DatabaseProvider.LiteDB);
        if (!enabled)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var products = scope.ServiceProvider.GetRequiredService<IProductRepository>();
        if (await products.AnyAsync(cancellationToken))
        {
            return;
        }

        var catalog = scope.ServiceProvider.GetRequiredService<CatalogService>();
        var intake = scope.ServiceProvider.GetRequiredService<ImageIntake>();
        var seeds = Products().ToList();
        // Drawing and encoding the images is nearly all of the seeding, and the service is not listening until it is
        // done (issue 13's cold start): it runs on every core; the products are then stored in order.
        var images = new PreparedImage[seeds.Count];
        await Parallel.ForAsync(0, seeds.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
            (index, _) =>
            {
                images[index] = intake.Prepare(GarmentArtist.Draw(seeds[index].Kind, SKColor.Parse(seeds[index].Hex)));
                return ValueTask.CompletedTask;
            });
        for (var index = 0; index < seeds.Count; index++)
        {
            var created = await catalog.CreateAsync(seeds[index].Request, cancellationToken);
            await catalog.AddImageAsync(created, images[index], cancellationToken);
        }

        LogSeeded(logger, seeds.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The seed products, the same on every run.</summary>
    public static IEnumerable<(GarmentKind Kind, string Hex, ProductRequest Request)> Products()
    {
        var index = 0;
        foreach (var (kind, (noun, category, basePrice, sizes)) in Kinds)
        {
            foreach (var (colorName, hex) in Palette)
            {
                var style = Styles[index % Styles.Length];
                var brand = Brands[index % Brands.Length];
                var gender = kind is GarmentKind.Skirt or GarmentKind.Dress ? "women" : (index % 3) switch { 0 => "women", 1 => "men", _ => "unisex" };
                var price = basePrice + (index % 4 * 5m);
                var colorTitle = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(colorName);
                yield return (kind, hex, new ProductRequest(
                    $"{style} {colorTitle} {noun}",
                    $"A {style.ToLowerInvariant()} {colorName} {noun.ToLowerInvariant()} by {brand}.",
                    brand,
                    category,
                    null,
                    gender,
                    [new ProductColorDto(colorName, hex)],
                    price,
                    "EUR",
                    sizes,
                    [noun.ToLowerInvariant(), colorName, style.ToLowerInvariant(), category]));
                index++;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the empty catalog with {Count} products")]
    private static partial void LogSeeded(ILogger logger, int count);
}
