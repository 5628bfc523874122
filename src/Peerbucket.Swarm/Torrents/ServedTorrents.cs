using System.Collections.Concurrent;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Changes;

namespace Peerbucket.Swarm.Torrents;

/// <summary>
/// The answer to "does the store serve this info-hash?" for the tracker, the seeder and the web seed: object versions
/// (current, or noncurrent ones of a versioned bucket: each version is its own torrent) that the one authorization
/// function lets anyone read, under any of their formats' info-hashes (v1; v2 truncated to 20 bytes). Positive answers are cached, each with the <see cref="Generation"/> read before its lookup; a change notice
/// from the store marks its key (or its whole bucket) changed as of a new generation, so exactly the entries looked up
/// before it stop counting, then tells subscribers.
/// </summary>
public sealed class ServedTorrents
{
    private const int MaxTracked = 100_000;
    private readonly ObjectStore _store;
    private readonly TorrentCatalog _catalog;
    private readonly ConcurrentDictionary<string, (long Generation, ServedTorrent Served)> _cache = new();
    private readonly ConcurrentDictionary<(string Bucket, string? Key), long> _changedAt = new();
    private readonly Lock _changing = new();
    private long _generation;
    private long _floor;

    public ServedTorrents(ObjectStore store, TorrentCatalog catalog)
    {
        _store = store;
        _catalog = catalog;
        store.Changes.Changed += Invalidate;
    }

    /// <summary>Raised after a change that may stop an info-hash being served (the seeder re-checks that key's sessions).</summary>
    public event Action<ObjectChange>? Changed;

    /// <summary>Bumped by every change notice, after the change was committed and marked; a holder of an answer taken
    /// at an older generation must ask again.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Invalidate(ObjectChange change)
    {
        lock (_changing)
        {
            var next = _generation + 1;
            if (_changedAt.Count >= MaxTracked)
            {
                // Bounded memory: forget the per-key marks and let every older answer go instead.
                _cache.Clear();
                _changedAt.Clear();
                Volatile.Write(ref _floor, next);
            }

            // Marked before the generation moves: whoever sees the new generation also sees the mark.
            _changedAt[(change.Bucket, change.Key)] = next;
            Interlocked.Exchange(ref _generation, next);
        }

        Changed?.Invoke(change);
    }

    public ServedTorrent? Find(ReadOnlySpan<byte> infoHash)
    {
        if (infoHash.Length != 20)
        {
            return null;
        }

        var cacheKey = Convert.ToHexString(infoHash);
        if (_cache.TryGetValue(cacheKey, out var hit) && IsFresh(hit.Generation, hit.Served))
        {
            return hit.Served;
        }

        var generation = Generation;
        var served = Lookup(infoHash.ToArray());
        if (served is not null)
        {
            if (_cache.Count >= MaxTracked)
            {
                _cache.Clear();
            }

            _cache[cacheKey] = (generation, served);
        }

        return served;
    }

    /// <summary>True when no change to the object's key or bucket was marked after the lookup began.</summary>
    private bool IsFresh(long lookedUpAt, ServedTorrent served) =>
        lookedUpAt == Generation // nothing changed at all since (the common case: no lookups of the marks)
        || (lookedUpAt >= Volatile.Read(ref _floor)
            && lookedUpAt >= _changedAt.GetValueOrDefault((served.Object.Bucket, served.Object.Key))
            && lookedUpAt >= _changedAt.GetValueOrDefault((served.Object.Bucket, null)));

    private ServedTorrent? Lookup(byte[] infoHash)
    {
        foreach (var (obj, current) in _store.Objects.FindByIndexKey(infoHash))
        {
            var bucket = _store.Buckets.Get(obj.Bucket);
            if (bucket is null || !Authorizer.IsPublic(bucket, obj, current))
            {
                continue;
            }

            foreach (var format in TorrentCatalog.Formats)
            {
                var torrent = _catalog.TryGetStored(obj, format);
                if (torrent is null)
                {
                    continue;
                }

                if ((torrent.Hashes.HasV1 && torrent.Hashes.V1.Span.SequenceEqual(infoHash))
                    || (torrent.Hashes.HasV2 && torrent.Hashes.V2Truncated.Span.SequenceEqual(infoHash)))
                {
                    return new ServedTorrent(obj, torrent);
                }
            }
        }

        return null;
    }
}
