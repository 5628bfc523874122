namespace Peerbucket.Protocols.PeerWire;

/// <summary>allowed fast (id 0x11, BEP 6): the receiver may request this piece while choked. Payload: piece index (u32).</summary>
public readonly record struct AllowedFastMessage(int PieceIndex) : IPeerMessage
{
    /// <summary>Length prefix (5), id, index.</summary>
    public const int ByteCount = 9;

    public static bool TryParse(ReadOnlySpan<byte> payload, out AllowedFastMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadPieceIndex(payload, out var index, out error))
        {
            return false;
        }

        message = new AllowedFastMessage(index);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WritePieceIndex(destination, PeerMessageId.AllowedFast, PieceIndex);
    }
}
