namespace Peerbucket.Protocols.PeerWire;

/// <summary>BEP 9 <c>msg_type</c>. Other values parse as is; BEP 9 says to ignore them.</summary>
public enum UtMetadataMessageType
{
    Request = 0,
    Data = 1,
    Reject = 2,
}
