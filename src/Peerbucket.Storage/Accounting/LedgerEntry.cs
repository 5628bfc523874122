namespace Peerbucket.Storage.Accounting;

/// <summary>What the ledger counts per object: the four <see cref="EgressPath"/>s (same values), then what the swarm
/// reported to the tracker.</summary>
public enum LedgerEntry
{
    Seeder = EgressPath.Seeder,
    RangeGet = EgressPath.RangeGet,
    PlainGet = EgressPath.PlainGet,
    WebSeed = EgressPath.WebSeed,

    /// <summary>Bytes peers reported downloading (sums of announce <c>downloaded</c>), from the origin and each other.</summary>
    PeerDownloaded,

    /// <summary>Downloads finished (announces with <c>event=completed</c>).</summary>
    CompletedDownloads,
}
