using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace WearIt.Tests.AppHost;

/// <summary>
/// Runs the AppHost's Program up to <c>Build()</c> in a given mode and reads the resources it declared.
/// NOTE: the app is never built or started (reading a built app's services starts it, and starting needs DCP),
/// so these tests need no container engine.
/// </summary>
internal sealed class AppHostModel : IAsyncDisposable
{
    private readonly IDistributedApplicationTestingBuilder _builder;

    private AppHostModel(IDistributedApplicationTestingBuilder builder) => _builder = builder;

    public IReadOnlyList<IResource> Resources => [.. _builder.Resources];

    public static async Task<AppHostModel> BuildAsync(params string[] args) =>
        new(await DistributedApplicationTestingBuilder.CreateAsync<Projects.WearIt_AppHost>(args));

    public T Single<T>(string name) where T : IResource =>
        Assert.IsAssignableFrom<T>(Resources.Single(resource => resource.Name == name));

    /// <summary>The environment as the manifest describes it: literals, and expressions such as <c>{s3.bindings.http.url}</c>.</summary>
    public static async Task<Dictionary<string, string>> PublishedEnvironmentAsync(IResourceWithEnvironment resource)
    {
        // NOTE: obsolete in Aspire 13 in favour of ExecutionConfigurationBuilder, which needs a publish execution
        // context and logger of its own; this helper still resolves exactly what the manifest writes.
#pragma warning disable CS0618
        return await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
    }

    public ValueTask DisposeAsync() => _builder.DisposeAsync();
}
