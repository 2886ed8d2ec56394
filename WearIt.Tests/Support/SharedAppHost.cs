[assembly: AssemblyFixture(typeof(WearIt.Tests.Support.SharedAppHost))]

namespace WearIt.Tests.Support;

/// <summary>
/// The one embedded AppHost, on default settings, that every end-to-end and browser test shares: the first test that
/// asks for it boots it, the others wait for that boot, and the run stops it at the end. A run that selects none of
/// those tests boots nothing. Tests on it stay independent the way users of one deployment are: each signs up its own
/// account (mind the auth rate limit, 30 requests a minute from one address) and reads only what it created. A class
/// that needs other settings starts an <see cref="EmbeddedAppHost"/> of its own.
/// </summary>
public sealed class SharedAppHost : IAsyncDisposable
{
    /// <summary>Building, starting and both services healthy; the health wait has its own, shorter limit.</summary>
    private static readonly TimeSpan BootLimit = TimeSpan.FromMinutes(4);

    private readonly Lazy<Task<EmbeddedAppHost>> _boot = new(BootAsync);

    private static async Task<EmbeddedAppHost> BootAsync()
    {
        using var limit = new CancellationTokenSource(BootLimit);
        return await EmbeddedAppHost.StartAsync(limit.Token);
    }

    /// <summary>The running AppHost; <paramref name="token"/> stops only this caller's wait, never the boot others share.</summary>
    internal Task<EmbeddedAppHost> StartedAsync(CancellationToken token) => _boot.Value.WaitAsync(token);

    public async ValueTask DisposeAsync()
    {
        if (_boot.IsValueCreated)
        {
            var boot = _boot.Value;
            // Wait for a boot still under way; a failed boot has already cleaned up after itself and failed every test
            // that awaited it, so only a started AppHost is left to stop.
            await Task.WhenAny(boot);
            if (boot.IsCompletedSuccessfully)
            {
                await boot.Result.DisposeAsync();
            }
        }
    }
}
