namespace Peerbucket.Swarm.Origin;

/// <summary>What the store's tracker counts in a swarm beside the origin: peers downloading, and peers seeding (the
/// origin's own seeder not counted). Both 0 when the tracker does not run.</summary>
public readonly record struct TrackerCounts(int Leechers, int Seeders);
