namespace Peerbucket.Protocols.PeerWire;

/// <summary>not interested (id 3, BEP 3). No payload.</summary>
internal readonly record struct NotInterestedMessage : IPeerMessage
{
    /// <summary>Length prefix (1) and id.</summary>
    public const int ByteCount = 5;

    public static bool TryParse(ReadOnlySpan<byte> payload, out NotInterestedMessage message, out PeerWireError error)
    {
        message = default;
        return PeerWireFormat.CheckLength(payload, 0, out error);
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => PeerWireFormat.WriteHeader(destination, PeerMessageId.NotInterested, 0);
}
