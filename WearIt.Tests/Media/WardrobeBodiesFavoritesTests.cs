using System.Net;
using System.Text.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>Wardrobe, bodies and favorites behaviour for their owner.</summary>
public sealed class WardrobeBodiesFavoritesTests(SeededApiServiceFixture api) : IClassFixture<SeededApiServiceFixture>
{
    private static readonly Dictionary<string, string> Top = new() { ["category"] = "tops", ["clothType"] = "upper", ["name"] = "Linen shirt" };

    [Fact]
    public async Task TheFirstBodyIsTheDefaultAndTheDefaultMovesWhenChosenOrDeleted()
    {
        var user = await api.SignupAsync();
        var first = await UploadBodyAsync(user);
        var second = await UploadBodyAsync(user);
        await api.WaitForBodyCheckedAsync(user, first);
        await api.WaitForBodyCheckedAsync(user, second);

        using (var list = await api.SendAsync(HttpMethod.Get, "/api/v1/bodies", user.AccessToken))
        {
            var bodies = (await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).EnumerateArray().ToList();
            Assert.Equal([second, first], bodies.Select(body => body.GetProperty("id").GetGuid()));
            Assert.Equal([false, true], bodies.Select(body => body.GetProperty("isDefault").GetBoolean()));
        }

        using var choose = await api.SendAsync(HttpMethod.Put, $"/api/v1/bodies/{second}/default", user.AccessToken);
        Assert.True((await ApiServiceFixture.ReadAsync(choose, HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());
        using var firstAfter = await api.SendAsync(HttpMethod.Get, $"/api/v1/bodies/{first}", user.AccessToken);
        Assert.False((await ApiServiceFixture.ReadAsync(firstAfter, HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());

        using var delete = await api.SendAsync(HttpMethod.Delete, $"/api/v1/bodies/{second}", user.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var remaining = await api.SendAsync(HttpMethod.Get, $"/api/v1/bodies/{first}", user.AccessToken);
        Assert.True((await ApiServiceFixture.ReadAsync(remaining, HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());
        Assert.Equal(2, (await api.StoredKeysAsync($"users/{user.Id}/bodies/")).Count(key => !key.Contains("/analysis/")));
        Assert.Empty(await api.StoredKeysAsync($"users/{user.Id}/bodies/{second}/"));
    }

    [Fact]
    public async Task AGarmentKeepsItsKindWhileTheKindFitsItsCategory()
    {
        var user = await api.SignupAsync();

        using var hoodie = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Png(transparent: true), "hoodie.png", "image/png",
            new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper", ["kind"] = "hoodie" });
        using var costume = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Png(transparent: true), "costume.png", "image/png",
            new Dictionary<string, string> { ["category"] = "bottoms", ["clothType"] = "lower", ["kind"] = "costume" });
        using var misfiled = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Png(transparent: true), "skirt.png", "image/png",
            new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper", ["kind"] = "skirt" });
        var hoodieId = (await ApiServiceFixture.ReadAsync(hoodie, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var recategorised = await api.SendAsync(HttpMethod.Patch, $"/api/v1/wardrobe/{hoodieId}", user.AccessToken, new { category = "outerwear" });
        using var wrongKind = await api.SendAsync(HttpMethod.Patch, $"/api/v1/wardrobe/{hoodieId}", user.AccessToken, new { kind = "pants" });

        Assert.Equal("costume", (await ApiServiceFixture.ReadAsync(costume, HttpStatusCode.Created)).GetProperty("kind").GetString());
        var problem = await misfiled.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("kind", out _));
        // A hoodie moved to outerwear is no longer said to be a hoodie; a kind of another category is refused.
        Assert.Equal(JsonValueKind.Null, (await ApiServiceFixture.ReadAsync(recategorised, HttpStatusCode.OK)).GetProperty("kind").ValueKind);
        await wrongKind.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        using var list = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe", user.AccessToken);
        Assert.Equal(2, (await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task AGarmentTryonServiceCannotReadIsRefusedAndNothingIsKept()
    {
        var user = await api.SignupAsync();
        api.GarmentCheck.RejectWith = "garment_not_found";
        try
        {
            using var response = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Png(), "blank.png", "image/png",
                new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper" });

            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "garment_not_found");
            Assert.Empty(await api.StoredKeysAsync($"users/{user.Id}/"));
            using var list = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe", user.AccessToken);
            Assert.Empty((await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).EnumerateArray());
        }
        finally
        {
            api.GarmentCheck.RejectWith = null;
        }
    }

    [Fact]
    public async Task WardrobeItemsAreListedByCategoryRenamedAndDeletedWithTheirFiles()
    {
        var user = await api.SignupAsync();
        var shirt = await UploadGarmentAsync(user, Top);
        var skirt = await UploadGarmentAsync(user, new() { ["category"] = "bottoms", ["clothType"] = "lower" });

        using var tops = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe?category=tops", user.AccessToken);
        using var categories = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe/categories", user.AccessToken);
        using var renamed = await api.SendAsync(HttpMethod.Patch, $"/api/v1/wardrobe/{skirt}", user.AccessToken, new { name = "Pleated skirt" });
        using var deleted = await api.SendAsync(HttpMethod.Delete, $"/api/v1/wardrobe/{shirt}", user.AccessToken);

        Assert.Equal([shirt], (await ApiServiceFixture.ReadAsync(tops, HttpStatusCode.OK)).EnumerateArray().Select(item => item.GetProperty("id").GetGuid()));
        var counts = (await ApiServiceFixture.ReadAsync(categories, HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(entry => entry.GetProperty("category").GetString()!, entry => entry.GetProperty("count").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["tops"] = 1, ["outerwear"] = 0, ["bottoms"] = 1, ["dresses"] = 0 }, counts);
        Assert.Equal("Pleated skirt", (await ApiServiceFixture.ReadAsync(renamed, HttpStatusCode.OK)).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await api.StoredKeysAsync($"users/{user.Id}/garments/{shirt}/"));
        Assert.Equal(2, (await api.StoredKeysAsync($"users/{user.Id}/garments/{skirt}/")).Count);
    }

    [Theory]
    [InlineData("hats", "upper", "category")]
    [InlineData("tops", "lower", "clothType")]
    [InlineData("dresses", "sideways", "clothType")]
    public async Task AGarmentNeedsAKnownCategoryAndAMatchingClothType(string category, string clothType, string field)
    {
        var user = await api.SignupAsync();

        using var response = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Jpeg(), fields: new Dictionary<string, string> { ["category"] = category, ["clothType"] = clothType });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Empty(await api.StoredKeysAsync($"users/{user.Id}/"));
    }

    [Fact]
    public async Task SavingTheSameOutfitTwiceReturnsTheSavedOne()
    {
        var user = await api.SignupAsync();
        var body = await UploadBodyAsync(user);
        var shirt = await UploadGarmentAsync(user, Top);
        var product = await FirstProductAsync("bottoms");
        var items = new object[] { new { source = "wardrobe", id = shirt }, new { source = "catalog", id = product } };
        var reversed = items.Reverse().ToArray();

        using var first = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", user.AccessToken, new { name = "Friday", bodyId = body, items });
        using var again = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", user.AccessToken, new { name = "Friday again", bodyId = body, items = reversed });
        using var list = await api.SendAsync(HttpMethod.Get, "/api/v1/favorites", user.AccessToken);

        var saved = await ApiServiceFixture.ReadAsync(first, HttpStatusCode.Created);
        var existing = await ApiServiceFixture.ReadAsync(again, HttpStatusCode.OK);
        Assert.Equal(saved.GetProperty("id").GetGuid(), existing.GetProperty("id").GetGuid());
        Assert.Equal("Friday", existing.GetProperty("name").GetString());
        Assert.Single((await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).EnumerateArray());

        using var delete = await api.SendAsync(HttpMethod.Delete, $"/api/v1/favorites/{saved.GetProperty("id").GetGuid()}", user.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task AnOutfitOfAMissingProductIsNotFoundAndNotSaved()
    {
        var user = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", user.AccessToken,
            new { name = "Ghost", items = new[] { new { source = "catalog", id = Guid.NewGuid() } } });

        await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        using var list = await api.SendAsync(HttpMethod.Get, "/api/v1/favorites", user.AccessToken);
        Assert.Empty((await ApiServiceFixture.ReadAsync(list, HttpStatusCode.OK)).EnumerateArray());
    }

    [Theory]
    [InlineData("shop")]
    [InlineData(null)]
    public async Task AnItemNeedsAKnownSource(string? source)
    {
        var user = await api.SignupAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", user.AccessToken,
            new { name = "Odd", items = new[] { new { source, id = Guid.NewGuid() } } });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task DeletingTheAccountRemovesBodiesWardrobeAndFavorites()
    {
        var user = await api.SignupAsync();
        await UploadBodyAsync(user);
        var shirt = await UploadGarmentAsync(user, Top);
        using var favorite = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", user.AccessToken, new { name = "Mine", items = new[] { new { source = "wardrobe", id = shirt } } });

        using var delete = await api.SendAsync(HttpMethod.Delete, "/api/v1/users/me", user.AccessToken, new { password = user.Password });

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(await api.StoredKeysAsync($"users/{user.Id}/"));
        using var internalRead = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{user.Id}/garments/wardrobe/{shirt}", api.ServiceToken());
        Assert.Equal(HttpStatusCode.NotFound, internalRead.StatusCode);
    }

    private async Task<Guid> UploadBodyAsync(TestAccount user)
    {
        using var response = await api.UploadAsync("/api/v1/bodies", user.AccessToken, TestImages.Jpeg());
        return (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private async Task<Guid> UploadGarmentAsync(TestAccount user, Dictionary<string, string> fields)
    {
        using var response = await api.UploadAsync("/api/v1/wardrobe", user.AccessToken, TestImages.Png(transparent: true), "garment.png", "image/png", fields);
        return (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private async Task<Guid> FirstProductAsync(string category)
    {
        using var response = await api.Http.GetAsync($"/api/v1/catalog/products?category={category}&pageSize=1", TestContext.Current.CancellationToken);
        return (await ApiServiceFixture.ReadAsync(response, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("id").GetGuid();
    }
}
