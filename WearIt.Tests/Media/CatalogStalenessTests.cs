using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WearIt.ApiService;
using WearIt.ApiService.Features.Catalog;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>
/// A write another ApiService instance makes (straight into the shared database, so this instance's caches are not
/// told) shows in this instance's catalog pages once <see cref="CatalogCache.MaxAge"/> has passed, and never later:
/// the bounded staleness the README states. Time is a fake clock.
/// </summary>
public sealed class CatalogStalenessTests(CatalogStalenessTests.Fixture api) : IClassFixture<CatalogStalenessTests.Fixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public sealed class Fixture : ApiServiceFixture
    {
        public Fixture()
            : base(new EmbeddedServiceFactory<ApiServiceAssembly>("wearit"))
        {
            Factory.ServiceOverrides.Add(services => services.AddSingleton<TimeProvider>(Clock));
        }

        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task AnotherInstancesWriteShowsInACachedPageWithinTheStatedBound()
    {
        var repository = api.Factory.Services.GetRequiredService<IProductRepository>();
        await repository.InsertAsync(Product("Early Scarf"), Cancellation);
        var first = await TitlesAsync();

        await repository.InsertAsync(Product("Late Scarf"), Cancellation);
        api.Clock.Advance(CatalogCache.MaxAge + TimeSpan.FromSeconds(1));
        var afterTheBound = await TitlesAsync();

        Assert.Equal(["Early Scarf"], first);
        Assert.Equal(["Early Scarf", "Late Scarf"], afterTheBound.Order());
    }

    private async Task<IEnumerable<string?>> TitlesAsync()
    {
        using var response = await api.Http.GetAsync("/api/v1/catalog/products?q=scarf", Cancellation);
        return [.. (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("title").GetString())];
    }

    private Product Product(string title) => new()
    {
        Id = Guid.CreateVersion7(),
        Title = title,
        Description = "Written by another instance.",
        Brand = "Elsewhere",
        Category = "tops",
        ClothType = "upper",
        Gender = "unisex",
        Colors = [new ProductColor { Name = "grey", Hex = "#808080" }],
        Price = 20m,
        Sizes = ["M"],
        Tags = ["scarf"],
        CreatedAt = api.Clock.GetUtcNow().UtcDateTime,
        UpdatedAt = api.Clock.GetUtcNow().UtcDateTime,
    };
}
