namespace Peerbucket.Protocols.PeerWire;

/// <summary>have none (id 0x0F, BEP 6): the sender has no piece. No payload.</summary>
public readonly record struct HaveNoneMessage : IPeerMessage
{
    /// <summary>Length prefix (1) and id.</summary>
    public const int ByteCount = 5;

    public static bool TryParse(ReadOnlySpan<byte> payload, out HaveNoneMessage message, out PeerWireError error)
    {
        message = default;
        return PeerWireFormat.CheckLength(payload, 0, out error);
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => PeerWireFormat.WriteHeader(destination, PeerMessageId.HaveNone, 0);
}
