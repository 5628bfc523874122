using System.Buffers;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

/// <summary>Parses a framed message with its type's TryParse and writes it back (a byte-exact round trip).</summary>
internal static class Reencoder
{
    public static byte[] Reencode(PeerMessage message, int pieceCount)
    {
        var payload = message.Payload.ToArray();
        PeerWireError error;
        var ok = message.Id switch
        {
            PeerMessageId.Choke => Encode(ChokeMessage.TryParse(payload, out var m0, out error), m0),
            PeerMessageId.Unchoke => Encode(UnchokeMessage.TryParse(payload, out var m1, out error), m1),
            PeerMessageId.Interested => Encode(InterestedMessage.TryParse(payload, out var m2, out error), m2),
            PeerMessageId.NotInterested => Encode(NotInterestedMessage.TryParse(payload, out var m3, out error), m3),
            PeerMessageId.Have => Encode(HaveMessage.TryParse(payload, out var m4, out error), m4),
            PeerMessageId.Bitfield => Encode(BitfieldMessage.TryParse(payload, pieceCount, out var m5, out error), m5),
            PeerMessageId.Request => Encode(RequestMessage.TryParse(payload, out var m6, out error), m6),
            PeerMessageId.Piece => Encode(PieceMessageHeader.TryParse(payload, out var m7, out error), m7, payload[8..]),
            PeerMessageId.Cancel => Encode(CancelMessage.TryParse(payload, out var m8, out error), m8),
            PeerMessageId.Port => Encode(PortMessage.TryParse(payload, out var m9, out error), m9),
            PeerMessageId.SuggestPiece => Encode(SuggestPieceMessage.TryParse(payload, out var m13, out error), m13),
            PeerMessageId.HaveAll => Encode(HaveAllMessage.TryParse(payload, out var m14, out error), m14),
            PeerMessageId.HaveNone => Encode(HaveNoneMessage.TryParse(payload, out var m15, out error), m15),
            PeerMessageId.RejectRequest => Encode(RejectRequestMessage.TryParse(payload, out var m16, out error), m16),
            PeerMessageId.AllowedFast => Encode(AllowedFastMessage.TryParse(payload, out var m17, out error), m17),
            PeerMessageId.Extended => Encode(ExtendedMessage.TryParse(payload, out var m20, out error), m20),
            PeerMessageId.HashRequest => Encode(HashRequestMessage.TryParse(payload, out var m21, out error), m21),
            PeerMessageId.Hashes => Encode(HashesMessage.TryParse(payload, out var m22, out error), m22),
            PeerMessageId.HashReject => Encode(HashRejectMessage.TryParse(payload, out var m23, out error), m23),
            _ => throw new InvalidOperationException($"Unexpected id {message.RawId}."),
        };
        Assert.True(ok is not null, $"{message.Id}: {error}");
        return ok!;
    }

    /// <summary>Writes at an odd offset into a 0xFF-filled buffer and checks nothing else was touched.</summary>
    public static byte[] WriteChecked<T>(T message)
        where T : IPeerMessage
    {
        var count = message.GetByteCount();
        var buffer = new byte[count + 10];
        buffer.AsSpan().Fill(0xFF);
        Assert.Equal(count, message.Write(buffer.AsSpan(3, count)));
        Assert.All(buffer[..3], b => Assert.Equal(0xFF, b));
        Assert.All(buffer[(3 + count)..], b => Assert.Equal(0xFF, b));
        return buffer[3..(3 + count)];
    }

    private static byte[]? Encode<T>(bool ok, T message, byte[]? trailer = null)
        where T : IPeerMessage
        => ok ? [.. WriteChecked(message), .. trailer ?? []] : null;
}
