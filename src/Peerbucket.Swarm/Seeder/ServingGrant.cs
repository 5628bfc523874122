using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// A session's leave to serve one info-hash: the object the store served under it, and the generation of the served
/// set it was last confirmed against. <see cref="IsCurrent"/> costs one read while nothing changed; after a change it
/// looks the info-hash up again and compares. Once refused it stays refused.
/// </summary>
/// <remarks>
/// Why this closes the handshake race: the generation is read <em>before</em> the lookup, and the session registers
/// itself (where the re-check after a change finds it) <em>before</em> confirming. A change bumps the generation
/// after its commit. So either the lookup already saw the commit, or the confirmation sees a newer generation and
/// looks again, or the change's re-check walk starts after the session registered and finds it.
/// </remarks>
internal sealed class ServingGrant
{
    private readonly ServedTorrents _served;
    private readonly byte[] _infoHash;
    private long _generation;
    private volatile bool _revoked;

    private ServingGrant(ServedTorrents served, byte[] infoHash, long generation, ServedTorrent torrent)
    {
        _served = served;
        _infoHash = infoHash;
        _generation = generation;
        Torrent = torrent;
    }

    /// <summary>The object and torrent granted.</summary>
    public ServedTorrent Torrent { get; }

    /// <summary>A grant for <paramref name="infoHash"/>, or null when the store does not serve it now.</summary>
    public static ServingGrant? TryCreate(ServedTorrents served, byte[] infoHash)
    {
        var generation = served.Generation;
        return served.Find(infoHash) is { } torrent ? new ServingGrant(served, infoHash, generation, torrent) : null;
    }

    /// <summary>True while the store still serves this exact object (same bucket, key and bytes) under the info-hash.</summary>
    public bool IsCurrent()
    {
        if (_revoked)
        {
            return false;
        }

        var generation = _served.Generation;
        if (generation == Interlocked.Read(ref _generation))
        {
            return true;
        }

        var now = _served.Find(_infoHash);
        var before = Torrent.Object;
        if (now is null || now.Object.BlobId != before.BlobId || now.Object.Bucket != before.Bucket || now.Object.Key != before.Key)
        {
            _revoked = true;
            return false;
        }

        // Confirmed against (at least) this generation; a racing newer confirmation may overwrite it with its own.
        Interlocked.Exchange(ref _generation, generation);
        return true;
    }
}
