namespace WearIt.Gateway.Mobile;

/// <summary>
/// Wakes a user's body sockets on this gateway instance when the app uploads a photo through it, so the socket reads the
/// new photo at once instead of at its next idle read (a photo uploaded elsewhere waits for that read).
/// </summary>
public sealed class BodyUploadSignals
{
    private readonly Dictionary<string, HashSet<Listener>> _listeners = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Starts listening for the user's uploads; disposing the listener stops it.</summary>
    public Listener Listen(string userId)
    {
        var listener = new Listener(this, userId);
        lock (_lock)
        {
            if (!_listeners.TryGetValue(userId, out var mine))
            {
                _listeners[userId] = mine = [];
            }

            mine.Add(listener);
        }

        return listener;
    }

    /// <summary>Wakes every listener of the user.</summary>
    public void Notify(string userId)
    {
        Listener[] mine;
        lock (_lock)
        {
            mine = _listeners.TryGetValue(userId, out var set) ? [.. set] : [];
        }

        foreach (var listener in mine)
        {
            listener.Wake();
        }
    }

    private void Remove(Listener listener)
    {
        lock (_lock)
        {
            if (_listeners.TryGetValue(listener.UserId, out var mine) && mine.Remove(listener) && mine.Count == 0)
            {
                _listeners.Remove(listener.UserId);
            }
        }
    }

    /// <summary>One socket's listening: <see cref="Next"/> completes at the next upload after the last <see cref="Rearm"/>.</summary>
    public sealed class Listener(BodyUploadSignals signals, string userId) : IDisposable
    {
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal string UserId { get; } = userId;

        public Task Next => Volatile.Read(ref _next).Task;

        /// <summary>Listens afresh once woken; call before reading, so an upload during the read wakes the next wait.</summary>
        public void Rearm()
        {
            var current = Volatile.Read(ref _next);
            if (current.Task.IsCompleted)
            {
                Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
            }
        }

        internal void Wake() => Volatile.Read(ref _next).TrySetResult();

        public void Dispose() => signals.Remove(this);
    }
}
