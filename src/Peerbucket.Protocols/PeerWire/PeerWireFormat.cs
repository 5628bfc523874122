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

    /// <summary>Reads the one-u32 payload of have, suggest piece and allowed fast.</summary>
    public static bool TryReadPieceIndex(ReadOnlySpan<byte> payload, out int index, out PeerWireError error)
    {
        index = 0;
        if (!CheckLength(payload, 4, out error))
        {
            return false;
        }

        if (!TryReadIndex(payload, out index))
        {
            error = PeerWireError.InvalidField;
            return false;
        }

        return true;
    }

    /// <summary>Writes a message whose payload is one piece index; returns its 9 bytes.</summary>
    public static int WritePieceIndex(Span<byte> destination, PeerMessageId id, int index)
    {
        WriteHeader(destination, id, 4);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], index);
        return 9;
    }

    /// <summary>Reads the index, begin, length payload of request, cancel and reject request.</summary>
    public static bool TryReadBlock(ReadOnlySpan<byte> payload, out int index, out int begin, out int length, out PeerWireError error)
    {
        index = begin = length = 0;
        if (!CheckLength(payload, 12, out error))
        {
            return false;
        }

        if (!TryReadIndex(payload, out index) || !TryReadIndex(payload[4..], out begin) || !TryReadIndex(payload[8..], out length))
        {
            error = PeerWireError.InvalidField;
            return false;
        }

        return true;
    }

    /// <summary>Writes a message whose payload is index, begin, length; returns its 17 bytes.</summary>
    public static int WriteBlock(Span<byte> destination, PeerMessageId id, int index, int begin, int length)
    {
        WriteHeader(destination, id, 12);
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], begin);
        BinaryPrimitives.WriteInt32BigEndian(destination[13..], length);
        return 17;
    }
}
