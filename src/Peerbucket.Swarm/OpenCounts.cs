using System.Collections.Concurrent;

namespace Peerbucket.Swarm;

/// <summary>Open connections per key (a remote address, a subnet), safe from any thread; a key whose count drops to
/// zero is forgotten, so the map holds only keys with connections open.</summary>
public sealed class OpenCounts<TKey>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _counts = new();

    /// <summary>Counts one more connection of <paramref name="key"/>; returns how many it has now.</summary>
    public int Open(TKey key) => _counts.AddOrUpdate(key, 1, (_, c) => c + 1);

    /// <summary>Counts one connection of <paramref name="key"/> closed.</summary>
    public void Close(TKey key)
    {
        _counts.AddOrUpdate(key, 0, (_, c) => c - 1);
        _counts.TryRemove(KeyValuePair.Create(key, 0));
    }
}
