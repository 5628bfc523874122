using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// The head of a piece message (id 7, BEP 3): length prefix (9 + block), id, index, begin. The caller writes the
/// <see cref="BlockLength"/> block bytes right after it (e.g. straight from storage into the pipe).
/// </summary>
public readonly record struct PieceMessageHeader(int Index, int Begin, int BlockLength) : IPeerMessage
{
    /// <summary>Bytes of the header: length prefix, id, index, begin.</summary>
    public const int ByteCount = 13;

    /// <summary>
    /// Parses the header from a piece payload (everything after the id); the block is
    /// <c>payload[8..]</c>. Blocks above 16 KiB fail (nobody requests them).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out PieceMessageHeader header, out PeerWireError error)
    {
        header = default;
        if (payload.Length < 8)
        {
            error = PeerWireError.WrongLength;
            return false;
        }

        if (payload.Length - 8 > PeerWireLimits.MaxBlockLength)
        {
            error = PeerWireError.MessageTooLong;
            return false;
        }

        if (!PeerWireFormat.TryReadIndex(payload, out var index) || !PeerWireFormat.TryReadIndex(payload[4..], out var begin))
        {
            error = PeerWireError.InvalidField;
            return false;
        }

        header = new PieceMessageHeader(index, begin, payload.Length - 8);
        error = PeerWireError.None;
        return true;
    }

    /// <summary>The header's bytes only (<see cref="ByteCount"/>); the whole message is <see cref="MessageByteCount"/>.</summary>
    public int GetByteCount() => ByteCount;

    /// <summary>Header plus block.</summary>
    public int MessageByteCount => ByteCount + BlockLength;

    /// <summary>Writes the header only; the caller appends <see cref="BlockLength"/> bytes.</summary>
    public int Write(Span<byte> destination)
    {
        if (destination.Length < ByteCount)
        {
            throw new ArgumentException("Destination too small for the header.", nameof(destination));
        }

        BinaryPrimitives.WriteInt32BigEndian(destination, 9 + BlockLength);
        destination[4] = (byte)PeerMessageId.Piece;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], Begin);
        return ByteCount;
    }
}
