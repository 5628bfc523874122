namespace Peerbucket.Protocols.Tracker;

/// <summary>A parsed BEP 15 request: <see cref="UdpConnectRequest"/>, <see cref="UdpAnnounceRequest"/> or <see cref="UdpScrapeRequest"/>.</summary>
public abstract record UdpTrackerRequest(int TransactionId)
{
    public abstract UdpTrackerAction Action { get; }
}
