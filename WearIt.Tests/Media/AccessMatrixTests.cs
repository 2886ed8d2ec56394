using System.Net;
using System.Net.Http.Json;
using WearIt.Tests.Support;

namespace WearIt.Tests.Media;

/// <summary>User B can neither read, change nor delete anything of user A's, through any route: it is all 404.</summary>
public sealed class AccessMatrixTests(ApiServiceFixture api) : IClassFixture<ApiServiceFixture>
{
    [Fact]
    public async Task UserBGets404ForEveryOneOfUserAsResources()
    {
        var a = await api.SignupAsync();
        var b = await api.SignupAsync();
        var body = (await ApiServiceFixture.ReadAsync(await api.UploadAsync("/api/v1/bodies", a.AccessToken, TestImages.Jpeg()), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var item = (await ApiServiceFixture.ReadAsync(await api.UploadAsync("/api/v1/wardrobe", a.AccessToken, TestImages.Png(transparent: true), "top.png", "image/png",
            new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        using var favoriteResponse = await api.SendAsync(HttpMethod.Post, "/api/v1/favorites", a.AccessToken,
            new { name = "A's outfit", bodyId = body, items = new[] { new { source = "wardrobe", id = item } } });
        var favorite = (await ApiServiceFixture.ReadAsync(favoriteResponse, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        (HttpMethod Method, string Path, object? Body)[] attempts =
        [
            (HttpMethod.Get, $"/api/v1/bodies/{body}", null),
            (HttpMethod.Put, $"/api/v1/bodies/{body}/default", null),
            (HttpMethod.Delete, $"/api/v1/bodies/{body}", null),
            (HttpMethod.Get, $"/api/v1/wardrobe/{item}", null),
            (HttpMethod.Patch, $"/api/v1/wardrobe/{item}", new { name = "stolen" }),
            (HttpMethod.Delete, $"/api/v1/wardrobe/{item}", null),
            (HttpMethod.Get, $"/api/v1/favorites/{favorite}", null),
            (HttpMethod.Delete, $"/api/v1/favorites/{favorite}", null),
            (HttpMethod.Post, "/api/v1/favorites", new { name = "B uses A's garment", items = new[] { new { source = "wardrobe", id = item } } }),
            (HttpMethod.Post, "/api/v1/favorites", new { name = "B uses A's body", bodyId = body, items = new[] { new { source = "catalog", id = Guid.NewGuid() } } }),
        ];

        foreach (var (method, path, requestBody) in attempts)
        {
            using var response = await api.SendAsync(method, path, b.AccessToken, requestBody);
            var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            Assert.DoesNotContain($"users/{a.Id}", problem.ToString());
            Assert.DoesNotContain("My top", problem.ToString());
        }

        using var bodies = await api.SendAsync(HttpMethod.Get, "/api/v1/bodies", b.AccessToken);
        using var wardrobe = await api.SendAsync(HttpMethod.Get, "/api/v1/wardrobe", b.AccessToken);
        using var favorites = await api.SendAsync(HttpMethod.Get, "/api/v1/favorites", b.AccessToken);
        Assert.Empty((await ApiServiceFixture.ReadAsync(bodies, HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await ApiServiceFixture.ReadAsync(wardrobe, HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty((await ApiServiceFixture.ReadAsync(favorites, HttpStatusCode.OK)).EnumerateArray());

        // A's things are all still there, unchanged.
        using var aItem = await api.SendAsync(HttpMethod.Get, $"/api/v1/wardrobe/{item}", a.AccessToken);
        Assert.Equal("My top", (await ApiServiceFixture.ReadAsync(aItem, HttpStatusCode.OK)).GetProperty("name").GetString());
        using var aBody = await api.SendAsync(HttpMethod.Get, $"/api/v1/bodies/{body}", a.AccessToken);
        Assert.True((await ApiServiceFixture.ReadAsync(aBody, HttpStatusCode.OK)).GetProperty("isDefault").GetBoolean());
        using var aFavorite = await api.SendAsync(HttpMethod.Get, $"/api/v1/favorites/{favorite}", a.AccessToken);
        Assert.Equal(HttpStatusCode.OK, aFavorite.StatusCode);
        Assert.Equal(4, (await api.StoredKeysAsync($"users/{a.Id}/")).Count(key => !key.Contains("/analysis/")));
    }

    [Fact]
    public async Task InternalReadsAreOnBehalfOfTheNamedUserOnly()
    {
        var a = await api.SignupAsync();
        var b = await api.SignupAsync();
        var item = (await ApiServiceFixture.ReadAsync(await api.UploadAsync("/api/v1/wardrobe", a.AccessToken, TestImages.Png(transparent: true), "top.png", "image/png",
            new Dictionary<string, string> { ["category"] = "tops", ["clothType"] = "upper" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var body = (await ApiServiceFixture.ReadAsync(await api.UploadAsync("/api/v1/bodies", a.AccessToken, TestImages.Jpeg()), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var service = api.ServiceToken();

        using var asA = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{a.Id}/garments/wardrobe/{item}", service);
        using var asB = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{b.Id}/garments/wardrobe/{item}", service);
        using var bodyAsA = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{a.Id}/bodies/{body}", service);
        using var bodyAsB = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{b.Id}/bodies/{body}", service);
        using var withUserToken = await api.SendAsync(HttpMethod.Get, $"/internal/v1/users/{a.Id}/bodies/{body}", a.AccessToken);

        var garment = await ApiServiceFixture.ReadAsync(asA, HttpStatusCode.OK);
        Assert.Equal(("upper", true), (garment.GetProperty("clothType").GetString(), garment.GetProperty("hasAlpha").GetBoolean()));
        Assert.StartsWith($"users/{a.Id}/garments/{item}/original.png", garment.GetProperty("imageKey").GetString());
        await asB.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.StartsWith($"users/{a.Id}/bodies/{body}/original.jpg", (await ApiServiceFixture.ReadAsync(bodyAsA, HttpStatusCode.OK)).GetProperty("imageKey").GetString());
        await bodyAsB.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.True(withUserToken.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
    }
}
