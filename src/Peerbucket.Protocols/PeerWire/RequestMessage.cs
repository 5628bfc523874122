using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>request (id 6, BEP 3): a block of a piece. Lengths above 16 KiB (or zero) fail with <see cref="PeerWireError.RequestTooLong"/>: the seeder closes on them. Payload: index, begin, length (u32 each).</summary>
public readonly record struct RequestMessage(int Index, int Begin, int Length) : IPeerMessage
{
    /// <summary>Length prefix (13), id, three u32.</summary>
    public const int ByteCount = 17;

    public static bool TryParse(ReadOnlySpan<byte> payload, out RequestMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.CheckLength(payload, 12, out error))
        {
            return false;
        }

        if (!PeerWireFormat.TryReadIndex(payload, out var index)
            || !PeerWireFormat.TryReadIndex(payload[4..], out var begin)
            || !PeerWireFormat.TryReadIndex(payload[8..], out var length))
        {
            error = PeerWireError.InvalidField;
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
        PeerWireFormat.WriteHeader(destination, PeerMessageId.Request, 12);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], Begin);
        BinaryPrimitives.WriteInt32BigEndian(destination[13..], Length);
        return ByteCount;
    }
}
