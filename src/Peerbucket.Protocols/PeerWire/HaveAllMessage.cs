namespace Peerbucket.Protocols.PeerWire;

/// <summary>have all (id 0x0E, BEP 6): the sender is a seed; with the fast extension, sent instead of a bitfield. No payload.</summary>
public readonly record struct HaveAllMessage : IPeerMessage
{
    /// <summary>Length prefix (1) and id.</summary>
    public const int ByteCount = 5;

    public static bool TryParse(ReadOnlySpan<byte> payload, out HaveAllMessage message, out PeerWireError error)
    {
        message = default;
        return PeerWireFormat.CheckLength(payload, 0, out error);
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => PeerWireFormat.WriteHeader(destination, PeerMessageId.HaveAll, 0);
}
