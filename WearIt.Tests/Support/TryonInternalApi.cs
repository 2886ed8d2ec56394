using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using WearIt.ServiceDefaults.Authentication;
using WearIt.ServiceDefaults.ObjectStorage;
using WearIt.TryonService;

namespace WearIt.Tests.Support;

/// <summary>A TryonService in memory (embedded mode) called as ApiService calls its internal endpoints: with a service token.</summary>
public abstract class TryonInternalApi : IAsyncLifetime
{
    protected EmbeddedServiceFactory<TryonServiceAssembly> Factory { get; } = new("wearit-tryon");

    protected HttpClient Http { get; private set; } = null!;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Http = Factory.CreateClient();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Factory.Services.GetRequiredService<ServiceTokenIssuer>().CreateToken("apiservice"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Factory.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task StoreAsync(string key, byte[] image) =>
        Factory.Services.GetRequiredService<IObjectStore>().PutAsync(key, new MemoryStream(image), "image/png", Cancellation);
}
