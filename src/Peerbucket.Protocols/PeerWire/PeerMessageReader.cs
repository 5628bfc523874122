using System.Buffers;
using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// Frames peer messages out of a pipe buffer: 4-byte big-endian length, 0 = keep-alive, then the id. Lengths are
/// checked against the id (fixed-size messages exactly, piece at most 16 KiB of block) and against the caller's cap
/// as soon as the prefix (and id) arrive, before waiting for the body. Need-more consumes nothing.
/// </summary>
public static class PeerMessageReader
{
    /// <summary>
    /// Reads one message. On <see cref="PeerReadStatus.Message"/>, <see cref="PeerReadStatus.KeepAlive"/> and
    /// <see cref="PeerReadStatus.Unknown"/>, <paramref name="consumed"/> is past the message; otherwise it is the
    /// buffer's start. <paramref name="maxLength"/> caps the length field of variable messages (bitfield,
    /// extended, hashes, unknown), e.g. <see cref="PeerWireLimits.DefaultMaxMessageLength"/>.
    /// </summary>
    public static PeerReadStatus TryRead(
        ReadOnlySequence<byte> buffer,
        int maxLength,
        out PeerMessage message,
        out SequencePosition consumed,
        out PeerWireError error)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        message = default;
        consumed = buffer.Start;
        error = PeerWireError.None;
        if (buffer.Length < PeerWireLimits.LengthPrefixSize)
        {
            return PeerReadStatus.NeedMoreData;
        }

        Span<byte> head = stackalloc byte[5];
        var headLength = (int)Math.Min(buffer.Length, 5);
        buffer.Slice(0, headLength).CopyTo(head);
        var length = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (length == 0)
        {
            consumed = buffer.GetPosition(PeerWireLimits.LengthPrefixSize);
            return PeerReadStatus.KeepAlive;
        }

        if (length > (uint)maxLength && length > PeerWireLimits.MaxPieceMessageLength)
        {
            error = PeerWireError.MessageTooLong;
            return PeerReadStatus.Invalid;
        }

        if (headLength < 5)
        {
            return PeerReadStatus.NeedMoreData;
        }

        var id = head[4];
        var known = IsKnown(id);
        error = known ? CheckLength((PeerMessageId)id, length, maxLength) : length > (uint)maxLength ? PeerWireError.MessageTooLong : PeerWireError.None;
        if (error != PeerWireError.None)
        {
            return PeerReadStatus.Invalid;
        }

        if (buffer.Length - PeerWireLimits.LengthPrefixSize < length)
        {
            return PeerReadStatus.NeedMoreData;
        }

        message = new PeerMessage(id, buffer.Slice(5, length - 1));
        consumed = buffer.GetPosition(PeerWireLimits.LengthPrefixSize + length);
        return known ? PeerReadStatus.Message : PeerReadStatus.Unknown;
    }

    /// <summary>Whether <paramref name="id"/> is one of <see cref="PeerMessageId"/>.</summary>
    public static bool IsKnown(byte id) => id is <= 9 or (>= 0x0D and <= 0x11) or (>= 20 and <= 23);

    private static PeerWireError CheckLength(PeerMessageId id, uint length, int maxLength)
    {
        var ok = id switch
        {
            PeerMessageId.Choke or PeerMessageId.Unchoke or PeerMessageId.Interested or PeerMessageId.NotInterested
                or PeerMessageId.HaveAll or PeerMessageId.HaveNone => length == 1,
            PeerMessageId.Have or PeerMessageId.SuggestPiece or PeerMessageId.AllowedFast => length == 5,
            PeerMessageId.Request or PeerMessageId.Cancel or PeerMessageId.RejectRequest => length == 13,
            PeerMessageId.Port => length == 3,
            PeerMessageId.HashRequest or PeerMessageId.HashReject => length == 1 + HashRequestMessage.PayloadSize,
            PeerMessageId.Piece => length >= 9,
            PeerMessageId.Extended => length >= 2,
            PeerMessageId.Hashes => length >= 1 + HashRequestMessage.PayloadSize && (length - 1 - HashRequestMessage.PayloadSize) % 32 == 0,
            _ => true,
        };
        if (!ok)
        {
            return PeerWireError.WrongLength;
        }

        var cap = id == PeerMessageId.Piece ? PeerWireLimits.MaxPieceMessageLength : maxLength;
        return length > (uint)cap ? PeerWireError.MessageTooLong : PeerWireError.None;
    }
}
