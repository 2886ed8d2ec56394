using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ApiService.Features.Catalog;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>
/// A write another ApiService instance makes (straight into the shared database, so this instance's caches are not
/// told) shows in this instance's catalog pages once <see cref="CatalogCache.MaxAge"/> has passed, and never later:
/// the bounded staleness the README states. Time is a fake clock.
/// </summary>
public sealed class CatalogStalenessTests(FakeClockApiServiceFixture api) : IClassFixture<FakeClockApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

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
