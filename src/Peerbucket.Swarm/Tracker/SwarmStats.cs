namespace Peerbucket.Swarm.Tracker;

/// <summary>One swarm's counts, and the byte totals its peers reported (for origin-egress accounting).</summary>
public readonly record struct SwarmStats(int Seeders, int Leechers, long Completed, long Uploaded, long Downloaded);
