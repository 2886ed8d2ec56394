using System.Collections.Concurrent;

namespace WearIt.TryonService.Engine.Hosted;

/// <summary>
/// Webhook hints: a provider's webhook says a prediction finished, and the engine polling it reads it now instead of
/// at its next interval. Only a hint (a webhook reaches one instance, and FASHN's are unsigned): the engine always reads
/// the prediction from the provider itself before it believes anything.
/// </summary>
public sealed class ProviderSignals(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new();

    /// <summary>Waits <paramref name="delay"/>, or less when the prediction is signalled meanwhile.</summary>
    public async Task WaitAsync(string provider, string predictionId, TimeSpan delay, CancellationToken cancellationToken)
    {
        var key = Key(provider, predictionId);
        var signal = _waiting.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var delayed = Task.Delay(delay, time, stop.Token);
            await Task.WhenAny(delayed, signal.Task);
            cancellationToken.ThrowIfCancellationRequested();
        }
        finally
        {
            await stop.CancelAsync();
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource>(key, signal));
        }
    }

    /// <summary>Wakes whoever waits on the prediction; false when nobody here does.</summary>
    public bool Signal(string provider, string predictionId) =>
        _waiting.TryGetValue(Key(provider, predictionId), out var signal) && signal.TrySetResult();

    private static string Key(string provider, string predictionId) => $"{provider}:{predictionId}";
}
