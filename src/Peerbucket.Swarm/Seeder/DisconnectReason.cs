namespace Peerbucket.Swarm.Seeder;

/// <summary>Why the seeder closed a peer connection; recorded once per session and logged at one close site.</summary>
public enum DisconnectReason
{
    /// <summary>The peer closed the connection (end of stream).</summary>
    PeerClosed,

    /// <summary>The socket failed (reset, broken pipe).</summary>
    ConnectionError,

    /// <summary>The server is shutting down.</summary>
    ServerStopping,

    /// <summary>The seeder already has <see cref="SeederOptions.MaxPeers"/> connections.</summary>
    TooManyConnections,

    /// <summary>The remote address already has <see cref="SeederOptions.MaxPeersPerAddress"/> connections.</summary>
    TooManyConnectionsFromAddress,

    /// <summary>The remote IPv4 /24 or IPv6 /48 already has <see cref="SeederOptions.MaxPeersPerSubnet"/> connections.</summary>
    TooManyConnectionsFromSubnet,

    /// <summary>The seeder was full and a new peer took this connection's place: it had asked for nothing lately
    /// (<see cref="SlotEviction"/>).</summary>
    Evicted,

    /// <summary>No complete handshake within <see cref="SeederOptions.HandshakeTimeout"/>.</summary>
    HandshakeTimeout,

    /// <summary>The handshake is not BitTorrent's.</summary>
    InvalidHandshake,

    /// <summary>The info-hash is not one the store serves (unknown, private, deleted).</summary>
    UnknownInfoHash,

    /// <summary>The object stopped being served (overwritten, deleted, made private) while connected.</summary>
    NoLongerServed,

    /// <summary>The object's bytes could not be read (blob gone or short).</summary>
    BlobUnavailable,

    /// <summary>Nothing received for <see cref="SeederOptions.IdleTimeout"/>.</summary>
    IdleTimeout,

    /// <summary>The peer did not drain our writes within <see cref="SeederOptions.WriteTimeout"/>.</summary>
    WriteTimeout,

    /// <summary>A length prefix above the cap for its message (a full bitfield or 64 KiB; a 16 KiB block for
    /// <c>piece</c>), refused before its body is buffered.</summary>
    MessageTooLong,

    /// <summary>A frame that breaks the protocol otherwise: a length that does not fit its id, or a payload its parser
    /// rejects. The parser's <c>PeerWireError</c> is logged and counted with it.</summary>
    MalformedMessage,

    /// <summary>A request for more than 16 KiB (BEP 3: close).</summary>
    RequestTooLong,

    /// <summary>A request outside the piece or the object.</summary>
    RequestOutOfRange,

    /// <summary>More requests refused in a row (choked, or over <c>reqq</c>) than twice the queue holds: a flood.</summary>
    RequestFlood,

    /// <summary>The peer has every piece and is not interested: nothing to exchange.</summary>
    PeerIsSeed,
}
