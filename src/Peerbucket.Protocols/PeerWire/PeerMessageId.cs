namespace Peerbucket.Protocols.PeerWire;

/// <summary>Peer wire message ids: BEP 3 (0-8), DHT port (BEP 5), fast extension (BEP 6), extension protocol (BEP 10), v2 hashes (BEP 52).</summary>
public enum PeerMessageId : byte
{
    Choke = 0,
    Unchoke = 1,
    Interested = 2,
    NotInterested = 3,
    Have = 4,
    Bitfield = 5,
    Request = 6,
    Piece = 7,
    Cancel = 8,
    Port = 9,
    SuggestPiece = 0x0D,
    HaveAll = 0x0E,
    HaveNone = 0x0F,
    RejectRequest = 0x10,
    AllowedFast = 0x11,
    Extended = 20,
    HashRequest = 21,
    Hashes = 22,
    HashReject = 23,
}
