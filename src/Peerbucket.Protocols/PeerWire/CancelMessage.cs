namespace Peerbucket.Protocols.PeerWire;

/// <summary>cancel (id 8, BEP 3): withdraws a request. Payload: index, begin, length (u32 each).</summary>
public readonly record struct CancelMessage(int Index, int Begin, int Length) : IPeerMessage
{
    /// <summary>Length prefix (13), id, three u32.</summary>
    public const int ByteCount = 17;

    public static bool TryParse(ReadOnlySpan<byte> payload, out CancelMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadBlock(payload, out var index, out var begin, out var length, out error))
        {
            return false;
        }

        message = new CancelMessage(index, begin, length);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WriteBlock(destination, PeerMessageId.Cancel, Index, Begin, Length);
    }
}
