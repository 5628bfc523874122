using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Swarm.Tracker;

/// <summary>What the tracker answers one announce: a failure reason, or peers and counts.</summary>
public sealed record TrackerOutcome(string? Failure, IReadOnlyList<PeerEndpoint> Peers, int Seeders, int Leechers)
{
    public static TrackerOutcome Failed(string reason) => new(reason, [], 0, 0);
}
