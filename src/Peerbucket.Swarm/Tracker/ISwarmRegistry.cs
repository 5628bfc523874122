using System.Net;

namespace Peerbucket.Swarm.Tracker;

/// <summary>
/// Swarm state behind a small interface: in memory by default; a scale-out deployment can keep it in a shared
/// store (Redis) without the tracker changing.
/// </summary>
public interface ISwarmRegistry
{
    /// <summary>Records the announce and returns up to NumWant other peers (never the announcer itself), and what the
    /// announce added to the swarm's reports.</summary>
    AnnounceResult Announce(PeerAnnounce announce, DateTimeOffset now);

    SwarmStats Scrape(ReadOnlySpan<byte> infoHash);

    /// <summary>Whether the swarm lists a peer at <paramref name="address"/> (one that announced and has not stopped or
    /// expired).</summary>
    bool Lists(ReadOnlySpan<byte> infoHash, IPAddress address);

    /// <summary>Drops swarms whose info-hash is no longer served.</summary>
    void RetireWhere(Func<byte[], bool> retire);

    /// <summary>Drops peers not heard from since <paramref name="cutoff"/>.</summary>
    void Expire(DateTimeOffset cutoff);

    int PeerCount { get; }
}
