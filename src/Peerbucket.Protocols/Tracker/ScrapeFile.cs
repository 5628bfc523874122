namespace Peerbucket.Protocols.Tracker;

/// <summary>One torrent's counts in a scrape reply (BEP 48 / BEP 15).</summary>
/// <param name="InfoHash">The 20-byte info-hash as the client sent it.</param>
/// <param name="Complete">Seeders.</param>
/// <param name="Downloaded">Completed downloads so far.</param>
/// <param name="Incomplete">Leechers.</param>
public readonly record struct ScrapeFile(ReadOnlyMemory<byte> InfoHash, int Complete, int Downloaded, int Incomplete);
