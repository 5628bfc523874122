namespace Peerbucket.Protocols.PeerWire;

/// <summary>suggest piece (id 0x0D, BEP 6). Payload: piece index (u32).</summary>
public readonly record struct SuggestPieceMessage(int PieceIndex) : IPeerMessage
{
    /// <summary>Length prefix (5), id, index.</summary>
    public const int ByteCount = 9;

    public static bool TryParse(ReadOnlySpan<byte> payload, out SuggestPieceMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadPieceIndex(payload, out var index, out error))
        {
            return false;
        }

        message = new SuggestPieceMessage(index);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WritePieceIndex(destination, PeerMessageId.SuggestPiece, PieceIndex);
    }
}
