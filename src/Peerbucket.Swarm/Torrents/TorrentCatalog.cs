using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage;
using Peerbucket.Storage.Model;

namespace Peerbucket.Swarm.Torrents;

/// <summary>
/// Object to torrent: reads the facts stored with an object (computing and storing them once for objects written
/// before facts existed) and builds, caches and hands out its torrent in each format.
/// </summary>
public sealed class TorrentCatalog(ObjectStore store, TorrentSettings settings)
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 256L * 1024 * 1024 });
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _backfills = new();

    public TorrentSettings Settings => settings;

    public long PieceLengthFor(long size) => settings.PieceLength > 0 ? settings.PieceLength : PieceLengthRule.Choose(size);

    /// <summary>The torrent of an object in a format, or null for a zero-byte object. Objects stored before facts
    /// existed are hashed once, here (concurrent callers share the work).</summary>
    public async Task<ObjectTorrent?> GetAsync(ObjectRecord obj, TorrentFormat format, CancellationToken cancellationToken)
    {
        var facts = obj.ContentFacts ?? await BackfillAsync(obj, cancellationToken);
        return Build(obj, facts, format);
    }

    /// <summary>Like <see cref="GetAsync"/> but only from stored facts: never reads the object's bytes, never waits.</summary>
    public ObjectTorrent? TryGetStored(ObjectRecord obj, TorrentFormat format) =>
        obj.ContentFacts is { } facts ? Build(obj, facts, format) : null;

    private ObjectTorrent? Build(ObjectRecord obj, byte[] facts, TorrentFormat format)
    {
        var cacheKey = (obj.BlobId, obj.Key, format);
        if (_cache.TryGetValue(cacheKey, out ObjectTorrent? cached))
        {
            return cached;
        }

        var torrent = ObjectTorrent.For(obj.Key, TorrentFacts.Deserialize(facts), format);
        if (torrent is not null)
        {
            _cache.Set(cacheKey, torrent, new MemoryCacheEntryOptions { Size = torrent.Info.Length * 2L + 1024 });
        }

        return torrent;
    }

    /// <summary>Every info-hash (20 bytes; v2 truncated) under which an object of this key and facts is served: the
    /// index keys committed with it. None for a zero-byte object.</summary>
    public static IReadOnlyList<byte[]> InfoHashesFor(string key, TorrentFacts facts)
    {
        var hashes = new List<byte[]>();
        foreach (var format in Formats)
        {
            var torrent = ObjectTorrent.For(key, facts, format);
            if (torrent is null)
            {
                return [];
            }

            if (torrent.Hashes.HasV1)
            {
                hashes.Add(torrent.Hashes.V1.ToArray());
            }

            if (torrent.Hashes.HasV2)
            {
                hashes.Add(torrent.Hashes.V2Truncated.ToArray());
            }
        }

        return hashes;
    }

    public static readonly TorrentFormat[] Formats = [TorrentFormat.V1, TorrentFormat.Hybrid, TorrentFormat.V2];

    private Task<byte[]> BackfillAsync(ObjectRecord obj, CancellationToken cancellationToken)
    {
        var lazy = _backfills.GetOrAdd(obj.BlobId, _ => new Lazy<Task<byte[]>>(() => HashBlobAsync(obj)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    private async Task<byte[]> HashBlobAsync(ObjectRecord obj)
    {
        try
        {
            using var file = store.Blobs.TryOpenRead(obj.BlobId) ?? throw new StorageException(StorageError.NoSuchKey, obj.Key);
            using var hasher = new TorrentFactsBuilder(obj.Key, PieceLengthFor(obj.Size));
            var buffer = new byte[1024 * 1024];
            long offset = 0;
            int read;
            while ((read = await RandomAccess.ReadAsync(file, buffer, offset)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                offset += read;
            }

            var facts = hasher.Finish();
            await store.Objects.SetContentFactsAsync(obj.Bucket, obj.Key, obj.BlobId, facts);
            return facts.Bytes;
        }
        finally
        {
            _backfills.TryRemove(obj.BlobId, out _);
        }
    }
}
