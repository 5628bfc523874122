using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>cancel (id 8, BEP 3): withdraws a request. Payload: index, begin, length (u32 each).</summary>
public readonly record struct CancelMessage(int Index, int Begin, int Length) : IPeerMessage
{
    /// <summary>Length prefix (13), id, three u32.</summary>
    public const int ByteCount = 17;

    public static bool TryParse(ReadOnlySpan<byte> payload, out CancelMessage message, out PeerWireError error)
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

        message = new CancelMessage(index, begin, length);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        PeerWireFormat.WriteHeader(destination, PeerMessageId.Cancel, 12);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], Begin);
        BinaryPrimitives.WriteInt32BigEndian(destination[13..], Length);
        return ByteCount;
    }
}
