namespace Peerbucket.Protocols.PeerWire;

/// <summary>interested (id 2, BEP 3). No payload.</summary>
public readonly record struct InterestedMessage : IPeerMessage
{
    /// <summary>Length prefix (1) and id.</summary>
    public const int ByteCount = 5;

    public static bool TryParse(ReadOnlySpan<byte> payload, out InterestedMessage message, out PeerWireError error)
    {
        message = default;
        return PeerWireFormat.CheckLength(payload, 0, out error);
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => PeerWireFormat.WriteHeader(destination, PeerMessageId.Interested, 0);
}
