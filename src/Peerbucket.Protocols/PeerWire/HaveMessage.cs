namespace Peerbucket.Protocols.PeerWire;

/// <summary>have (id 4, BEP 3): the sender completed and checked a piece. Payload: piece index (u32).</summary>
public readonly record struct HaveMessage(int PieceIndex) : IPeerMessage
{
    /// <summary>Length prefix (5), id, index.</summary>
    public const int ByteCount = 9;

    public static bool TryParse(ReadOnlySpan<byte> payload, out HaveMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadPieceIndex(payload, out var index, out error))
        {
            return false;
        }

        message = new HaveMessage(index);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WritePieceIndex(destination, PeerMessageId.Have, PieceIndex);
    }
}
