namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// bitfield (id 5, BEP 3): ceil(pieces / 8) bytes, piece 0 in the high bit of the first byte, spare bits zero.
/// Only valid as the first message after the handshake.
/// </summary>
public readonly record struct BitfieldMessage(ReadOnlyMemory<byte> Bits) : IPeerMessage
{
    /// <summary>Bytes of a bitfield for <paramref name="pieceCount"/> pieces.</summary>
    public static int ByteLength(int pieceCount) => (int)(((long)pieceCount + 7) / 8);

    /// <summary>A seed's bitfield: every piece set, spare bits clear.</summary>
    public static BitfieldMessage AllSet(int pieceCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        var bits = new byte[ByteLength(pieceCount)];
        bits.AsSpan().Fill(0xFF);
        if (pieceCount % 8 != 0)
        {
            bits[^1] = (byte)(0xFF << (8 - (pieceCount % 8)));
        }

        return new BitfieldMessage(bits);
    }

    /// <summary>Parses and validates against the torrent's piece count: exact size, spare bits zero. Copies the bits.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, int pieceCount, out BitfieldMessage message, out PeerWireError error)
    {
        message = default;
        if (payload.Length != ByteLength(pieceCount))
        {
            error = PeerWireError.BitfieldWrongLength;
            return false;
        }

        var spare = (8 - (pieceCount % 8)) % 8;
        if (spare != 0 && (payload[^1] & ((1 << spare) - 1)) != 0)
        {
            error = PeerWireError.BitfieldSpareBits;
            return false;
        }

        message = new BitfieldMessage(payload.ToArray());
        error = PeerWireError.None;
        return true;
    }

    /// <summary>Whether piece <paramref name="index"/> is set.</summary>
    public bool HasPiece(int index)
        => (uint)index < (uint)Bits.Length * 8 && (Bits.Span[index >> 3] & (0x80 >> (index & 7))) != 0;

    public int GetByteCount() => 5 + Bits.Length;

    public int Write(Span<byte> destination)
    {
        PeerWireFormat.WriteHeader(destination, PeerMessageId.Bitfield, Bits.Length);
        Bits.Span.CopyTo(destination[5..]);
        return 5 + Bits.Length;
    }
}
