namespace Peerbucket.Protocols.Tracker;

/// <summary>BEP 15 scrape request: 1 to 74 info-hashes of 20 bytes, in packet order.</summary>
public sealed record UdpScrapeRequest(ulong ConnectionId, int TransactionId, IReadOnlyList<byte[]> InfoHashes)
    : UdpTrackerRequest(TransactionId)
{
    public override UdpTrackerAction Action => UdpTrackerAction.Scrape;
}
