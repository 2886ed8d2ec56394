using Microsoft.Extensions.Options;
using WearIt.ServiceDefaults.Errors;

namespace WearIt.ApiService.Images;

/// <summary>
/// Bounds the memory uploads take: at most <see cref="ImageIntakeOptions.MaxConcurrentDecodes"/> images are decoded at
/// once (a 40-megapixel PNG is 160 MB decoded), and at most <see cref="ImageIntakeOptions.MaxQueuedDecodes"/> wait for
/// their turn; past that an upload is refused at once with 503 <c>busy</c> and a <c>Retry-After</c>.
/// </summary>
public sealed class ImageDecodeGate
{
    private readonly SemaphoreSlim _slots;
    private readonly int _maxQueued;
    private int _waiting;
    private int _running;
    private int _mostRunning;

    public ImageDecodeGate(IOptions<ImageIntakeOptions> options)
    {
        var concurrent = Math.Max(1, options.Value.MaxConcurrentDecodes);
        _slots = new SemaphoreSlim(concurrent, concurrent);
        _maxQueued = Math.Max(0, options.Value.MaxQueuedDecodes);
    }

    /// <summary>The most decodes that ran at once so far.</summary>
    public int MostRunning => Volatile.Read(ref _mostRunning);

    /// <summary>Waits for a decode slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > _maxQueued)
            {
                Interlocked.Decrement(ref _waiting);
                throw new DomainException(ErrorKind.DependencyUnavailable, "busy", "Too many images are being processed right now; try again in a few seconds.")
                {
                    RetryAfterSeconds = 5,
                };
            }

            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        var running = Interlocked.Increment(ref _running);
        int most;
        do
        {
            most = Volatile.Read(ref _mostRunning);
        }
        while (running > most && Interlocked.CompareExchange(ref _mostRunning, running, most) != most);

        return new Slot(this);
    }

    private sealed class Slot(ImageDecodeGate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref gate._running);
                gate._slots.Release();
            }
        }
    }
}
