using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>port (id 9, BEP 5): the sender's DHT port (u16).</summary>
internal readonly record struct PortMessage(ushort Port) : IPeerMessage
{
    public const int ByteCount = 7;

    public static bool TryParse(ReadOnlySpan<byte> payload, out PortMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.CheckLength(payload, 2, out error))
        {
            return false;
        }

        message = new PortMessage(BinaryPrimitives.ReadUInt16BigEndian(payload));
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        PeerWireFormat.WriteHeader(destination, PeerMessageId.Port, 2);
        BinaryPrimitives.WriteUInt16BigEndian(destination[5..], Port);
        return ByteCount;
    }
}
