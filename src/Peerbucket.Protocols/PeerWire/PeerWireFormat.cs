using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>Shared encoding helpers: length prefix + id, big-endian fields.</summary>
internal static class PeerWireFormat
{
    /// <summary>Writes the 4-byte length (<paramref name="payloadLength"/> + 1) and the id; returns 5.</summary>
    public static int WriteHeader(Span<byte> destination, PeerMessageId id, int payloadLength)
    {
        if (destination.Length < 5 + payloadLength)
        {
            throw new ArgumentException("Destination too small for the message.", nameof(destination));
        }

        BinaryPrimitives.WriteInt32BigEndian(destination, payloadLength + 1);
        destination[4] = (byte)id;
        return 5;
    }

    /// <summary>Reads a big-endian u32 that must fit a non-negative int.</summary>
    public static bool TryReadIndex(ReadOnlySpan<byte> source, out int value)
    {
        var raw = BinaryPrimitives.ReadUInt32BigEndian(source);
        value = (int)raw;
        return raw <= int.MaxValue;
    }

    /// <summary>Checks a payload's exact size.</summary>
    public static bool CheckLength(ReadOnlySpan<byte> payload, int expected, out PeerWireError error)
    {
        error = payload.Length == expected ? PeerWireError.None : PeerWireError.WrongLength;
        return error == PeerWireError.None;
    }
}
