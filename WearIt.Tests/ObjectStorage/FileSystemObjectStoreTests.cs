using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Errors;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;

namespace WearIt.Tests.ObjectStorage;

/// <summary>The contract against the filesystem store, its signed URLs served by a test host.</summary>
public sealed class FileSystemObjectStoreTests : ObjectStoreContractTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "wearit-fs-" + Guid.NewGuid().ToString("N"));
    private InMemoryHost _host = null!;
    private FileSystemObjectStore _store = null!;

    protected override IObjectStore Store => _store;

    protected override HttpClient Http => _host.Http;

    public override async ValueTask InitializeAsync()
    {
        var signer = new ObjectUrlSigner(ObjectUrlSigner.DeriveKey("a-test-signing-key-that-is-long-enough-for-hs256"), TimeProvider.System);
        _store = new FileSystemObjectStore(_root, signer, () => new Uri("http://localhost/"));
        await _store.EnsureReadyAsync(Cancellation);

        _host = await InMemoryHost.StartAsync(
            builder => builder.Services.AddWearItProblemDetails().AddSingleton<IObjectStore>(_store),
            app =>
            {
                app.UseWearItErrorHandling();
                app.MapSignedObjectEndpoints();
            });
    }

    public override async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task NothingIsWrittenOutsideTheRootAndTempFilesAreCleanedUp()
    {
        await Store.PutAsync(Prefix + "users/1/a.jpg", new MemoryStream([1, 2]), "image/jpeg", Cancellation);

        var files = Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(_root, path).Replace('\\', '/'))
            .Order()
            .ToList();

        Assert.Equal([$"data/{Prefix}users/1/a.jpg", $"meta/{Prefix}users/1/a.jpg.json"], files);
    }

    [Fact]
    public async Task DeletingTheLastObjectRemovesItsEmptyFolders()
    {
        await Store.PutAsync(Prefix + "users/1/bodies/2/original.jpg", new MemoryStream([1]), "image/jpeg", Cancellation);

        await Store.DeleteByPrefixAsync(Prefix + "users/1/", Cancellation);

        Assert.False(Directory.Exists(Path.Combine(_root, "data", Prefix, "users")));
        Assert.False(Directory.Exists(Path.Combine(_root, "meta", Prefix, "users")));
    }

    [Theory]
    [InlineData("/storage/../../etc/passwd?expires=99999999999&signature=x")]
    [InlineData("/storage/%2e%2e/%2e%2e/etc/passwd?expires=99999999999&signature=x")]
    [InlineData("/storage/contract/x.jpg")]
    [InlineData("/storage/contract/x.jpg?expires=abc&signature=x")]
    public async Task MalformedOrUnsignedRequestsAreRefusedWithProblemDetails(string path)
    {
        using var response = await Http.GetAsync(path, Cancellation);

        Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.BadRequest,
            $"{path} answered {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
