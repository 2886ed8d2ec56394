using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.Tests.Support;
using WearIt.TryonService;

namespace WearIt.Tests.Platform;

/// <summary>TryonService's internal DELETE /internal/v1/users/{id}, which account deletion calls.</summary>
public sealed class TryonUserDataTests : IAsyncLifetime
{
    private readonly EmbeddedServiceFactory<TryonServiceAssembly> _factory = new("wearit-tryon");
    private HttpClient _http = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _http = _factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task AServiceTokenDeletesTheUsersTryonsAndNothingElse()
    {
        var user = Guid.NewGuid();
        var objects = _factory.Services.GetRequiredService<IObjectStore>();
        await objects.PutAsync($"users/{user}/tryons/t1/result.jpg", new MemoryStream([1]), "image/jpeg", Cancellation);
        await objects.PutAsync($"users/{Guid.NewGuid()}/tryons/t2/result.jpg", new MemoryStream([2]), "image/jpeg", Cancellation);
        var token = _factory.Services.GetRequiredService<ServiceTokenIssuer>().CreateToken("apiservice");

        using var first = await DeleteAsync(user, token);
        using var again = await DeleteAsync(user, token);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Null(await objects.HeadAsync($"users/{user}/tryons/t1/result.jpg", Cancellation));
        Assert.Single(await objects.ListAsync("users/", Cancellation).ToListAsync(Cancellation));
    }

    [Fact]
    public async Task AUserTokenIsRefused()
    {
        var userToken = TestTokens.User(Guid.NewGuid(), role: "admin");

        using var response = await DeleteAsync(Guid.NewGuid(), userToken);

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"answered {(int)response.StatusCode}");
    }

    private async Task<HttpResponseMessage> DeleteAsync(Guid user, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/internal/v1/users/{user}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request, Cancellation);
    }
}
