namespace Peerbucket.Protocols.PeerWire;

/// <summary>request (id 6, BEP 3): a block of a piece. Lengths above 16 KiB (or zero) fail with <see cref="PeerWireError.RequestTooLong"/>: the seeder closes on them. Payload: index, begin, length (u32 each).</summary>
public readonly record struct RequestMessage(int Index, int Begin, int Length) : IPeerMessage
{
    /// <summary>Length prefix (13), id, three u32.</summary>
    public const int ByteCount = 17;

    public static bool TryParse(ReadOnlySpan<byte> payload, out RequestMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadBlock(payload, out var index, out var begin, out var length, out error))
        {
            return false;
        }

        if (length is 0 or > PeerWireLimits.MaxBlockLength)
        {
            error = PeerWireError.RequestTooLong;
            return false;
        }

        message = new RequestMessage(index, begin, length);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        return PeerWireFormat.WriteBlock(destination, PeerMessageId.Request, Index, Begin, Length);
    }
}
