namespace Peerbucket.Swarm.Tracker;

/// <summary>What an announce got (peers, the swarm's counts) and what it added to the swarm's reports: the bytes the
/// peer downloaded since its previous announce, and whether this announce was its (first) <c>completed</c>.</summary>
public sealed record AnnounceResult(IReadOnlyList<SwarmPeer> Peers, SwarmStats Stats, long DownloadedAdded = 0, bool CompletedNow = false)
{
    public void Deconstruct(out IReadOnlyList<SwarmPeer> peers, out SwarmStats stats)
    {
        peers = Peers;
        stats = Stats;
    }
}
