namespace Peerbucket.Protocols.PeerWire;

/// <summary>Sizes and caps of the peer wire protocol.</summary>
public static class PeerWireLimits
{
    /// <summary>The block size every client requests; larger requests close the connection (BEP 3).</summary>
    public const int MaxBlockLength = 16 * 1024;

    /// <summary>Largest <c>piece</c> message length field: id + index + begin + a 16 KiB block.</summary>
    public const int MaxPieceMessageLength = 9 + MaxBlockLength;

    /// <summary>A sensible cap for the variable messages (bitfield, extended, hashes): 1 MiB.</summary>
    public const int DefaultMaxMessageLength = 1024 * 1024;

    /// <summary>The length prefix in front of every message.</summary>
    public const int LengthPrefixSize = 4;

    /// <summary>Most hashes served in one <c>hashes</c> message.</summary>
    public const int MaxHashesPerRequest = 8192;
}
