namespace Peerbucket.Protocols.PeerWire;

/// <summary>reject request (id 0x10, BEP 6): the sender will not serve this request. Payload: index, begin, length (u32 each).</summary>
public readonly record struct RejectRequestMessage(int Index, int Begin, int Length) : IPeerMessage
{
    /// <summary>Length prefix (13), id, three u32.</summary>
    public const int ByteCount = 17;

    public static bool TryParse(ReadOnlySpan<byte> payload, out RejectRequestMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadBlock(payload, out var index, out var begin, out var length, out error))
        {
            return false;
        }

        message = new RejectRequestMessage(index, begin, length);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WriteBlock(destination, PeerMessageId.RejectRequest, Index, Begin, Length);
    }
}
