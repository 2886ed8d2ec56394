using System.Net;
using System.Net.Http.Headers;
using System.Text;
using WearIt.ServiceDefaults.ObjectStorage;

namespace WearIt.Tests.ObjectStorage;

/// <summary>
/// What every <see cref="IObjectStore"/> must do. Each backend's test class supplies a store and an HTTP client
/// that can fetch the store's signed URLs; every test works under its own key prefix.
/// </summary>
public abstract class ObjectStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan UrlLifetime = TimeSpan.FromMinutes(5);

    protected string Prefix { get; } = $"contract/{Guid.NewGuid():N}/";

    protected abstract IObjectStore Store { get; }

    protected abstract HttpClient Http { get; }

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Whether the server behind the store checks signatures; when it does not, the refusal tests say so and skip.</summary>
    protected virtual string? SignatureCheckingMissingReason => null;

    public abstract ValueTask InitializeAsync();

    public abstract ValueTask DisposeAsync();

    [Fact]
    public async Task PutThenGetReturnsTheSameBytesAndContentType()
    {
        var bytes = RandomBytes(200_000);

        await Store.PutAsync(Prefix + "photo.jpg", new MemoryStream(bytes), "image/jpeg", Cancellation);
        await using var stored = await Store.GetAsync(Prefix + "photo.jpg", Cancellation);

        Assert.NotNull(stored);
        Assert.Equal("image/jpeg", stored.Info.ContentType);
        Assert.Equal(bytes.Length, stored.Info.Size);
        Assert.Equal(bytes, await ReadAllAsync(stored.Content));
    }

    [Fact]
    public async Task HeadDescribesAnObjectWithoutReadingIt()
    {
        await Store.PutAsync(Prefix + "a.png", new MemoryStream(new byte[1234]), "image/png", Cancellation);

        var info = await Store.HeadAsync(Prefix + "a.png", Cancellation);

        Assert.NotNull(info);
        Assert.Equal((Prefix + "a.png", 1234L, "image/png"), (info.Key, info.Size, info.ContentType));
        Assert.True(info.LastModified > DateTimeOffset.UtcNow.AddHours(-1));
    }

    [Fact]
    public async Task MissingObjectsAreNullNotErrors()
    {
        Assert.Null(await Store.GetAsync(Prefix + "missing.jpg", Cancellation));
        Assert.Null(await Store.HeadAsync(Prefix + "missing.jpg", Cancellation));
        await Store.DeleteAsync(Prefix + "missing.jpg", Cancellation);
    }

    [Fact]
    public async Task PutReplacesAnExistingObject()
    {
        await Store.PutAsync(Prefix + "x.bin", new MemoryStream("first"u8.ToArray()), "text/plain", Cancellation);

        await Store.PutAsync(Prefix + "x.bin", new MemoryStream("second!"u8.ToArray()), "application/octet-stream", Cancellation);

        await using var stored = await Store.GetAsync(Prefix + "x.bin", Cancellation);
        Assert.Equal("second!"u8.ToArray(), await ReadAllAsync(stored!.Content));
        Assert.Equal("application/octet-stream", stored.Info.ContentType);
    }

    [Fact]
    public async Task DeleteRemovesOnlyThatObject()
    {
        await Store.PutAsync(Prefix + "keep.jpg", new MemoryStream([1]), "image/jpeg", Cancellation);
        await Store.PutAsync(Prefix + "drop.jpg", new MemoryStream([2]), "image/jpeg", Cancellation);

        await Store.DeleteAsync(Prefix + "drop.jpg", Cancellation);

        Assert.Null(await Store.HeadAsync(Prefix + "drop.jpg", Cancellation));
        Assert.NotNull(await Store.HeadAsync(Prefix + "keep.jpg", Cancellation));
    }

    [Fact]
    public async Task ListReturnsTheKeysUnderAPrefixInOrder()
    {
        foreach (var key in new[] { "users/b/2.jpg", "users/a/1.jpg", "users/a/sub/3.jpg", "usersx/4.jpg" })
        {
            await Store.PutAsync(Prefix + key, new MemoryStream([7, 7]), "image/jpeg", Cancellation);
        }

        var underUsers = await ListKeysAsync(Prefix + "users/");
        var underA = await ListKeysAsync(Prefix + "users/a");
        var all = await ListKeysAsync(Prefix);

        Assert.Equal(["users/a/1.jpg", "users/a/sub/3.jpg", "users/b/2.jpg"], underUsers);
        Assert.Equal(["users/a/1.jpg", "users/a/sub/3.jpg"], underA);
        Assert.Equal(4, all.Count);
    }

    [Fact]
    public async Task DeleteByPrefixRemovesEverythingUnderItAndNothingElse()
    {
        foreach (var key in new[] { "users/1/bodies/a.jpg", "users/1/tryons/b.jpg", "users/12/c.jpg" })
        {
            await Store.PutAsync(Prefix + key, new MemoryStream([1]), "image/jpeg", Cancellation);
        }

        var deleted = await Store.DeleteByPrefixAsync(Prefix + "users/1/", Cancellation);

        Assert.Equal(2, deleted);
        Assert.Equal(["users/12/c.jpg"], await ListKeysAsync(Prefix));
    }

    [Fact]
    public async Task EnsureReadyCanBeCalledRepeatedly()
    {
        await Store.EnsureReadyAsync(Cancellation);
        await Store.EnsureReadyAsync(Cancellation);

        await Store.CheckReachableAsync(Cancellation);
    }

    [Theory]
    [InlineData("../escape.jpg")]
    [InlineData("users/../../etc/passwd")]
    [InlineData("/absolute.jpg")]
    [InlineData("users//double.jpg")]
    [InlineData("users/./dot.jpg")]
    [InlineData("users\\backslash.jpg")]
    [InlineData("")]
    public async Task KeysThatCouldEscapeAreRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), "image/jpeg", Cancellation));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetSignedGetUrlAsync(key, UrlLifetime, Cancellation));
    }

    [Fact]
    public async Task ASignedGetUrlServesTheObjectOverHttp()
    {
        var bytes = RandomBytes(50_000);
        await Store.PutAsync(Prefix + "signed.jpg", new MemoryStream(bytes), "image/jpeg", Cancellation);

        var url = await Store.GetSignedGetUrlAsync(Prefix + "signed.jpg", UrlLifetime, Cancellation);
        using var response = await Http.GetAsync(url, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Cancellation));
    }

    [Fact]
    public async Task ATamperedSignatureIsRefused()
    {
        Assert.SkipWhen(SignatureCheckingMissingReason is not null, SignatureCheckingMissingReason ?? "");
        await Store.PutAsync(Prefix + "signed.jpg", new MemoryStream([1, 2, 3]), "image/jpeg", Cancellation);
        var url = await Store.GetSignedGetUrlAsync(Prefix + "signed.jpg", UrlLifetime, Cancellation);

        using var response = await Http.GetAsync(Tamper(url), Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ASignedUrlForOneKeyDoesNotOpenAnother()
    {
        Assert.SkipWhen(SignatureCheckingMissingReason is not null, SignatureCheckingMissingReason ?? "");
        await Store.PutAsync(Prefix + "mine.jpg", new MemoryStream([1]), "image/jpeg", Cancellation);
        await Store.PutAsync(Prefix + "theirs.jpg", new MemoryStream([2]), "image/jpeg", Cancellation);
        var url = await Store.GetSignedGetUrlAsync(Prefix + "mine.jpg", UrlLifetime, Cancellation);

        using var response = await Http.GetAsync(new Uri(url.ToString().Replace("mine.jpg", "theirs.jpg", StringComparison.Ordinal)), Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnExpiredSignatureIsRefused()
    {
        Assert.SkipWhen(SignatureCheckingMissingReason is not null, SignatureCheckingMissingReason ?? "");
        await Store.PutAsync(Prefix + "signed.jpg", new MemoryStream([1, 2, 3]), "image/jpeg", Cancellation);
        var url = await Store.GetSignedGetUrlAsync(Prefix + "signed.jpg", TimeSpan.FromSeconds(1), Cancellation);

        // NOTE: a wait, not a timing assertion: the URL must be past its expiry before it is used.
        await Task.Delay(TimeSpan.FromSeconds(2.5), Cancellation);
        using var response = await Http.GetAsync(url, Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ASignedPutUrlAcceptsAnUploadWithItsContentType()
    {
        var bytes = RandomBytes(30_000);
        var url = await Store.GetSignedPutUrlAsync(Prefix + "upload.png", "image/png", UrlLifetime, Cancellation);

        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var response = await Http.PutAsync(url, content, Cancellation);

        Assert.True(response.IsSuccessStatusCode, $"PUT answered {(int)response.StatusCode}");
        await using var stored = await Store.GetAsync(Prefix + "upload.png", Cancellation);
        Assert.Equal(bytes, await ReadAllAsync(stored!.Content));
        Assert.Equal("image/png", stored.Info.ContentType);
    }

    [Fact]
    public async Task ASignedPutUrlIsRefusedForAGetAndAGetUrlForAPut()
    {
        Assert.SkipWhen(SignatureCheckingMissingReason is not null, SignatureCheckingMissingReason ?? "");
        await Store.PutAsync(Prefix + "object.png", new MemoryStream([5]), "image/png", Cancellation);
        var putUrl = await Store.GetSignedPutUrlAsync(Prefix + "object.png", "image/png", UrlLifetime, Cancellation);
        var getUrl = await Store.GetSignedGetUrlAsync(Prefix + "object.png", UrlLifetime, Cancellation);

        using var getWithPutUrl = await Http.GetAsync(putUrl, Cancellation);
        using var content = new ByteArrayContent([9, 9]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var putWithGetUrl = await Http.PutAsync(getUrl, content, Cancellation);

        Assert.Equal(HttpStatusCode.Forbidden, getWithPutUrl.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, putWithGetUrl.StatusCode);
        await using var stored = await Store.GetAsync(Prefix + "object.png", Cancellation);
        Assert.Equal(new byte[] { 5 }, await ReadAllAsync(stored!.Content));
    }

    protected async Task<List<string>> ListKeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var info in Store.ListAsync(prefix, Cancellation))
        {
            keys.Add(info.Key[Prefix.Length..]);
        }

        return keys;
    }

    /// <summary>Flips one character of the signature so it no longer matches.</summary>
    private static Uri Tamper(Uri url)
    {
        var text = url.ToString();
        var marker = text.Contains("X-Amz-Signature=", StringComparison.Ordinal) ? "X-Amz-Signature=" : "signature=";
        var index = text.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        var replacement = text[index] == 'a' ? 'b' : 'a';
        return new Uri(new StringBuilder(text) { [index] = replacement }.ToString());
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Cancellation);
        return buffer.ToArray();
    }
}
