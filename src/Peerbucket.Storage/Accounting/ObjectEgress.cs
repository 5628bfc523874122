namespace Peerbucket.Storage.Accounting;

/// <summary>One object's ledger at one moment (or a change of it): origin egress by path, and what the swarm reported.</summary>
public sealed record ObjectEgress(string Bucket, string Key, long Seeder, long WebSeed, long RangeGet, long PlainGet,
    long PeerDownloaded = 0, long CompletedDownloads = 0)
{
    public long this[EgressPath path] => this[(LedgerEntry)path];

    public long this[LedgerEntry entry] => entry switch
    {
        LedgerEntry.Seeder => Seeder,
        LedgerEntry.WebSeed => WebSeed,
        LedgerEntry.RangeGet => RangeGet,
        LedgerEntry.PlainGet => PlainGet,
        LedgerEntry.PeerDownloaded => PeerDownloaded,
        LedgerEntry.CompletedDownloads => CompletedDownloads,
        _ => throw new ArgumentOutOfRangeException(nameof(entry), entry, null),
    };

    /// <summary>Bytes the origin sent over the torrent's own paths (seeder and web seed).</summary>
    public long TorrentEgress => Seeder + WebSeed;

    /// <summary>Bytes the origin sent over every path.</summary>
    public long TotalEgress => Seeder + WebSeed + RangeGet + PlainGet;

    internal static ObjectEgress From(string bucket, string key, long[] values) => new(bucket, key,
        values[(int)LedgerEntry.Seeder], values[(int)LedgerEntry.WebSeed], values[(int)LedgerEntry.RangeGet],
        values[(int)LedgerEntry.PlainGet], values[(int)LedgerEntry.PeerDownloaded], values[(int)LedgerEntry.CompletedDownloads]);
}
