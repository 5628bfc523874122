namespace Peerbucket.Protocols.PeerWire;

/// <summary>Outcome of <see cref="Handshake.TryParse(ReadOnlySpan{byte}, out Handshake?, out PeerWireError)"/>.</summary>
public enum HandshakeStatus
{
    /// <summary>A complete handshake (68 bytes consumed).</summary>
    Done,

    /// <summary>Fewer than 68 bytes and nothing wrong so far; nothing consumed.</summary>
    NeedMoreData,

    /// <summary>Not a BitTorrent handshake; close.</summary>
    Invalid,
}
