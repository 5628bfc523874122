namespace Peerbucket.Protocols.Tracker;

/// <summary>BEP 15 connect request (16 bytes: protocol id, action 0, transaction id).</summary>
public sealed record UdpConnectRequest(int TransactionId) : UdpTrackerRequest(TransactionId)
{
    public override UdpTrackerAction Action => UdpTrackerAction.Connect;
}
