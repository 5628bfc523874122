using System.Collections.Concurrent;
using Peerbucket.S3.Access;
using Peerbucket.Storage;

namespace Peerbucket.Swarm.Torrents;

/// <summary>
/// The answer to "does the store serve this info-hash?" for the tracker and the seeder: only current objects that
/// the one authorization function lets anyone read, under any of their formats' info-hashes (v1; v2 truncated to 20
/// bytes). Positive answers are cached until any object, ACL or policy changes.
/// </summary>
public sealed class ServedTorrents(ObjectStore store, TorrentCatalog catalog)
{
    private const int MaxCached = 100_000;
    private readonly ConcurrentDictionary<string, (long Generation, ServedTorrent Served)> _cache = new();
    private long _generation;

    /// <summary>Raised after something changed that may stop an info-hash being served (the seeder drops swarms).</summary>
    public event Action? Changed;

    /// <summary>Bumped by every <see cref="Invalidate"/>, after the change it announces was committed.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
        Changed?.Invoke();
    }

    public ServedTorrent? Find(ReadOnlySpan<byte> infoHash)
    {
        if (infoHash.Length != 20)
        {
            return null;
        }

        var generation = Interlocked.Read(ref _generation);
        var cacheKey = Convert.ToHexString(infoHash);
        if (_cache.TryGetValue(cacheKey, out var hit) && hit.Generation == generation)
        {
            return hit.Served;
        }

        var served = Lookup(infoHash.ToArray());
        if (served is not null)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            _cache[cacheKey] = (generation, served);
        }

        return served;
    }

    private ServedTorrent? Lookup(byte[] infoHash)
    {
        foreach (var obj in store.Objects.FindByTag(infoHash))
        {
            var bucket = store.Buckets.Get(obj.Bucket);
            if (bucket is null || !Authorizer.IsPublic(bucket, obj))
            {
                continue;
            }

            foreach (var format in TorrentCatalog.Formats)
            {
                var torrent = catalog.TryGetStored(obj, format);
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
