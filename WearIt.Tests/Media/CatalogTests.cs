using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>The seeded catalog: search, filters, paging, ETags, admin writes.</summary>
public sealed class CatalogTests(SeededApiServiceFixture api) : IClassFixture<SeededApiServiceFixture>
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFreshCatalogIsSeededWithAtLeast60ProductsInEveryCategoryWithImages()
    {
        var page = await SearchAsync("?pageSize=100");

        Assert.True(page.GetProperty("total").GetInt32() >= 60);
        // Other tests in this class add products of their own (brand Testwear); the seed is everything else.
        var items = page.GetProperty("items").EnumerateArray().Where(item => item.GetProperty("brand").GetString() != "Testwear").ToList();
        Assert.True(items.Count >= 60);
        Assert.Equal(["bottoms", "dresses", "outerwear", "tops"], items.Select(item => item.GetProperty("category").GetString()).Distinct().Order());
        var image = items[0].GetProperty("images")[0];
        using var png = await api.Http.GetAsync(image.GetProperty("url").GetString(), Cancellation);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.True(items.All(item => item.GetProperty("images").GetArrayLength() == 1));
    }

    [Fact]
    public async Task PagesCoverEveryMatchExactlyOnce()
    {
        var ids = new List<string>();
        int total;
        var pageNumber = 1;
        do
        {
            var page = await SearchAsync($"?category=tops&pageSize=7&page={pageNumber++}&sort=price_asc");
            total = page.GetProperty("total").GetInt32();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!));
        }
        while (ids.Count < total && pageNumber < 20);

        Assert.Equal(24, total);
        Assert.Equal(total, ids.Distinct().Count());
    }

    [Fact]
    public async Task TextSearchMatchesTitleBrandAndTags()
    {
        var navy = await SearchAsync("?q=navy&pageSize=100");
        var brand = await SearchAsync("?q=northwind&pageSize=100");
        var twoTerms = await SearchAsync("?q=navy%20dress&pageSize=100");
        var nothing = await SearchAsync("?q=unobtainium");

        Assert.Equal(8, navy.GetProperty("total").GetInt32());
        Assert.All(brand.GetProperty("items").EnumerateArray(), item => Assert.Equal("Northwind", item.GetProperty("brand").GetString()));
        Assert.Equal(1, twoTerms.GetProperty("total").GetInt32());
        Assert.Equal(0, nothing.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task FiltersCombine()
    {
        var page = await SearchAsync("?category=bottoms&color=black&gender=women&minPrice=20&maxPrice=60&pageSize=100");

        Assert.NotEqual(0, page.GetProperty("total").GetInt32());
        Assert.All(page.GetProperty("items").EnumerateArray(), item =>
        {
            Assert.Equal("bottoms", item.GetProperty("category").GetString());
            Assert.Equal("black", item.GetProperty("colors")[0].GetProperty("name").GetString());
            Assert.Contains(item.GetProperty("gender").GetString(), new[] { "women", "unisex" });
            Assert.InRange(item.GetProperty("price").GetDecimal(), 20m, 60m);
        });
    }

    [Theory]
    [InlineData("price_asc")]
    [InlineData("price_desc")]
    [InlineData("newest")]
    public async Task SortsOrderTheResults(string sort)
    {
        var items = (await SearchAsync($"?sort={sort}&pageSize=100")).GetProperty("items").EnumerateArray().ToList();

        var keys = sort == "newest"
            ? items.Select(item => item.GetProperty("createdAt").GetDateTime().Ticks).Select(ticks => (decimal)ticks).ToList()
            : items.Select(item => item.GetProperty("price").GetDecimal()).ToList();
        var expected = sort == "price_asc" ? keys.Order().ToList() : keys.OrderDescending().ToList();
        Assert.Equal(expected, keys);
    }

    [Theory]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?pageSize=101", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?sort=cheapest", "sort")]
    [InlineData("?minPrice=50&maxPrice=10", "maxPrice")]
    public async Task BadQueriesAreFieldErrors(string query, string field)
    {
        using var response = await api.Http.GetAsync("/api/v1/catalog/products" + query, Cancellation);

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task FacetCountsAddUpToTheCatalog()
    {
        using var response = await api.Http.GetAsync("/api/v1/catalog/filters", Cancellation);
        var filters = await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK);
        var total = (await SearchAsync("")).GetProperty("total").GetInt32();

        Assert.Equal(total, filters.GetProperty("categories").EnumerateArray().Sum(facet => facet.GetProperty("count").GetInt32()));
        Assert.Equal(total, filters.GetProperty("brands").EnumerateArray().Sum(facet => facet.GetProperty("count").GetInt32()));
        var colors = filters.GetProperty("colors").EnumerateArray().Select(facet => facet.GetProperty("value").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "black", "white", "navy", "red", "green", "beige", "grey", "blue" }, colors.ToHashSet());
        Assert.True(filters.GetProperty("price").GetProperty("min").GetDecimal() < filters.GetProperty("price").GetProperty("max").GetDecimal());
    }

    [Fact]
    public async Task ETagsRoundTripAndChangeWithTheCatalog()
    {
        var admin = await AdminAsync();
        using var first = await api.Http.GetAsync("/api/v1/catalog/products?category=dresses", Cancellation);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/products?category=dresses");
        revalidate.Headers.IfNoneMatch.Add(etag);
        using var notModified = await api.Http.SendAsync(revalidate, Cancellation);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var created = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", admin.AccessToken, NewProduct("ETag Dress", "dresses"));
        await ApiServiceFixture.ReadAsync(created, HttpStatusCode.Created);
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/products?category=dresses");
        afterChange.Headers.IfNoneMatch.Add(etag);
        using var changed = await api.Http.SendAsync(afterChange, Cancellation);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        // The page was served from the page cache before the write; what comes now is made from the new catalog.
        var titles = (await ApiServiceFixture.ReadAsync(changed, HttpStatusCode.OK)).GetProperty("items").EnumerateArray()
            .Select(item => item.GetProperty("title").GetString());
        Assert.Contains("ETag Dress", titles);
    }

    [Fact]
    public async Task ACachedPageShowsAnAdminsUpdateAtOnce()
    {
        var admin = await AdminAsync();
        using var created = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", admin.AccessToken, NewProduct("Cached Coat", "outerwear"));
        var id = (await ApiServiceFixture.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();
        const string query = "?q=cached+coat";
        var before = await SearchAsync(query);
        var again = await SearchAsync(query);

        using var updated = await api.SendAsync(HttpMethod.Put, $"/api/v1/catalog/products/{id}", admin.AccessToken, NewProduct("Cached Coat", "outerwear", price: 99m));
        await ApiServiceFixture.ReadAsync(updated, HttpStatusCode.OK);
        var after = await SearchAsync(query);

        Assert.Equal(49.5m, before.GetProperty("items")[0].GetProperty("price").GetDecimal());
        Assert.Equal(before.GetRawText(), again.GetRawText());
        Assert.Equal(99m, after.GetProperty("items")[0].GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task ACachedPageIsOnlyServedForTheOriginItWasAskedOn()
    {
        async Task<string> FirstImageUrlAsync(string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/products?category=tops&pageSize=3") { Headers = { Host = host } };
            using var response = await api.Http.SendAsync(request, Cancellation);
            return (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("images")[0].GetProperty("url").GetString()!;
        }

        var first = await FirstImageUrlAsync("shop.example");
        var other = await FirstImageUrlAsync("evil.example");
        var firstAgain = await FirstImageUrlAsync("shop.example");

        Assert.StartsWith("http://shop.example/api/v1/catalog/images/", first);
        Assert.StartsWith("http://evil.example/api/v1/catalog/images/", other);
        Assert.Equal(first, firstAgain);
    }

    [Fact]
    public async Task OnlyAdminsChangeTheCatalog()
    {
        var user = await api.SignupAsync();

        using var asUser = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", user.AccessToken, NewProduct("Sneaky Tee", "tops"));
        using var anonymous = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", null, NewProduct("Sneaky Tee", "tops"));

        await asUser.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, (await SearchAsync("?q=sneaky")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task CatalogImagesHaveStableUnsignedUrlsThatCachesKeep()
    {
        using var first = await api.Http.GetAsync("/api/v1/catalog/products?category=tops&pageSize=1", Cancellation);
        using var second = await api.Http.GetAsync("/api/v1/catalog/products?category=tops&pageSize=1", Cancellation);
        var product = (await ApiServiceFixture.ReadAsync(first, HttpStatusCode.OK)).GetProperty("items")[0];
        var image = product.GetProperty("images")[0];
        var url = new Uri(image.GetProperty("url").GetString()!);
        var thumbnail = new Uri(image.GetProperty("thumbnailUrl").GetString()!);

        using var served = await api.Http.GetAsync(url.PathAndQuery, Cancellation);
        using var small = await api.Http.GetAsync(thumbnail.PathAndQuery, Cancellation);
        using var revalidated = await SendWithIfNoneMatchAsync(url.PathAndQuery, served.Headers.ETag!.Tag);
        using var unknown = await api.Http.GetAsync($"/api/v1/catalog/images/{product.GetProperty("id").GetGuid():N}/{Guid.NewGuid():N}/original", Cancellation);
        using var badVariant = await api.Http.GetAsync(url.PathAndQuery.Replace("/original", "/huge", StringComparison.Ordinal), Cancellation);

        Assert.Equal(url, new Uri((await ApiServiceFixture.ReadAsync(second, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("images")[0].GetProperty("url").GetString()!));
        Assert.Empty(url.Query);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), served.Headers.CacheControl?.MaxAge);
        Assert.True(served.Headers.CacheControl?.Public);
        using var bitmap = SkiaSharp.SKBitmap.Decode(await small.Content.ReadAsByteArrayAsync(Cancellation));
        Assert.True(Math.Max(bitmap.Width, bitmap.Height) <= 320);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await badVariant.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    private async Task<HttpResponseMessage> SendWithIfNoneMatchAsync(string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        return await api.Http.SendAsync(request, Cancellation);
    }

    [Fact]
    public async Task AnAdminCreatesUpdatesAddsAnImageAndDeletes()
    {
        var admin = await AdminAsync();

        using var created = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", admin.AccessToken, NewProduct("Lifecycle Jacket", "outerwear"));
        var id = (await ApiServiceFixture.ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();
        using var updated = await api.SendAsync(HttpMethod.Put, $"/api/v1/catalog/products/{id}", admin.AccessToken, NewProduct("Lifecycle Jacket II", "outerwear", price: 120m));
        using var withImage = await api.UploadAsync($"/api/v1/catalog/products/{id}/images", admin.AccessToken, TestImages.Png(600, 800, transparent: true), "jacket.png", "image/png");
        var afterImage = await ApiServiceFixture.ReadAsync(withImage, HttpStatusCode.Created);
        var keysBeforeDelete = await api.StoredKeysAsync($"catalog/{id}/");
        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/v1/catalog/products/{id}", admin.AccessToken);
        using var gone = await api.Http.GetAsync($"/api/v1/catalog/products/{id}", Cancellation);

        Assert.Equal(120m, (await ApiServiceFixture.ReadAsync(updated, HttpStatusCode.OK)).GetProperty("price").GetDecimal());
        Assert.Equal("Lifecycle Jacket II", afterImage.GetProperty("title").GetString());
        Assert.Equal(2, keysBeforeDelete.Count);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await gone.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty(await api.StoredKeysAsync($"catalog/{id}/"));
    }

    [Fact]
    public async Task AnInvalidProductIsRefusedWithFieldErrors()
    {
        var admin = await AdminAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/catalog/products", admin.AccessToken, new
        {
            title = "",
            brand = "X",
            category = "hats",
            gender = "cats",
            price = -1,
            currency = "euro",
            colors = new[] { new { name = "red", hex = "red" } },
        });

        var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        foreach (var field in new[] { "title", "category", "gender", "price", "currency", "colors" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }
    }

    private async Task<JsonElement> SearchAsync(string query)
    {
        using var response = await api.Http.GetAsync("/api/v1/catalog/products" + query, Cancellation);
        return await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK);
    }

    private async Task<TestAccount> AdminAsync()
    {
        using var login = await api.Http.PostAsync("/api/v1/auth/login", System.Net.Http.Json.JsonContent.Create(new { email = SeededApiServiceFixture.AdminEmail, password = "admin password 1" }), Cancellation);
        if (login.StatusCode == HttpStatusCode.OK)
        {
            var tokens = await login.Content.ReadFromJsonAsync<JsonElement>(Cancellation);
            return new TestAccount(Guid.Empty, SeededApiServiceFixture.AdminEmail, "admin password 1", "", tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);
        }

        return await api.SignupAsync(password: "admin password 1", email: SeededApiServiceFixture.AdminEmail);
    }

    private static object NewProduct(string title, string category, decimal price = 49.5m) => new
    {
        title,
        description = "Made by a test.",
        brand = "Testwear",
        category,
        gender = "unisex",
        colors = new[] { new { name = "teal", hex = "#008080" } },
        price,
        currency = "EUR",
        sizes = new[] { "S", "M" },
        tags = new[] { "test" },
    };
}
