using System.Collections.Concurrent;

namespace WearIt.ServiceDefaults.Limits;

/// <summary>
/// How many of something each key (a user) holds at once on this instance, such as open sockets: a slot is taken up to
/// a maximum and given back when disposed, once however often that happens.
/// </summary>
public sealed class ConcurrentSlots<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _held = new();

    /// <summary>One more slot for <paramref name="key"/>, or null (and nothing counted) when it already holds <paramref name="max"/>.</summary>
    public Slot? TryTake(TKey key, int max)
    {
        while (true)
        {
            var held = _held.GetValueOrDefault(key);
            if (held >= max)
            {
                return null;
            }

            if (held == 0 ? _held.TryAdd(key, 1) : _held.TryUpdate(key, held + 1, held))
            {
                return new Slot(this, key);
            }
        }
    }

    private void Release(TKey key)
    {
        while (true)
        {
            var held = _held.GetValueOrDefault(key);
            if (held <= 1 ? _held.TryRemove(new KeyValuePair<TKey, int>(key, held)) : _held.TryUpdate(key, held - 1, held))
            {
                return;
            }
        }
    }

    /// <summary>One taken slot; the first dispose gives it back.</summary>
    public sealed class Slot(ConcurrentSlots<TKey> slots, TKey key) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release(key);
            }
        }
    }
}
