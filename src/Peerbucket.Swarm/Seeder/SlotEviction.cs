namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// Who makes way when the seeder is full (<see cref="SeederOptions.MaxPeers"/>): a connection open at least
/// <see cref="SeederOptions.EvictableAfter"/> that asked for no block in that time — a peer with every piece first, then
/// one not interested, then one interested but not asking; the longest idle within each. A peer that downloads, a new
/// one, and a super-seeded peer waiting for its next offer are never evicted: holding slots then costs a steady stream
/// of requests, which the choker and the request limits already bound.
/// </summary>
internal static class SlotEviction
{
    /// <summary>Why a connection is of no use to a seed, most useless first.</summary>
    public enum Uselessness
    {
        Seed,
        NotInterested,
        NotRequesting,
    }

    public readonly record struct Candidate(PeerSession Session, Uselessness Rank, TimeSpan Idle);

    /// <summary>Evicts the least useful of <paramref name="sessions"/>; false when none may be evicted.</summary>
    public static bool TryEvictOne(IEnumerable<PeerSession> sessions, TimeSpan after)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var candidates = sessions
            .Select(s => s.EvictionCandidate(now, after))
            .OfType<Candidate>()
            .OrderBy(c => c.Rank)
            .ThenByDescending(c => c.Idle);
        foreach (var candidate in candidates)
        {
            if (candidate.Session.TryEvict())
            {
                return true;
            }
        }

        return false;
    }
}
