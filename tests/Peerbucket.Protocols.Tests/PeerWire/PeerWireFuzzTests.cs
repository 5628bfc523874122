using System.Buffers;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class PeerWireFuzzTests
{
    [Fact]
    public void RandomStreamsNeverThrowAndAlwaysMakeProgressOrStop()
    {
        var random = new Random(4321);
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            for (var p = 0; p + 4 <= bytes.Length; p += 4 + random.Next(0, 8))
            {
                // Mostly small, plausible lengths so that bodies get parsed too.
                bytes[p] = bytes[p + 1] = 0;
                bytes[p + 2] = (byte)(random.Next(4) == 0 ? bytes[p + 2] : 0);
                bytes[p + 4 < bytes.Length ? p + 4 : p] = (byte)random.Next(0, 25);
            }

            var buffer = random.Next(2) == 0 ? new ReadOnlySequence<byte>(bytes) : TestSegment.OneBytePerSegment(bytes);
            while (true)
            {
                var status = PeerMessageReader.TryRead(buffer, 1024, out var message, out var consumed, out _);
                if (status is PeerReadStatus.NeedMoreData or PeerReadStatus.Invalid)
                {
                    Assert.Equal(buffer.Start, consumed);
                    break;
                }

                if (status == PeerReadStatus.Message)
                {
                    ParseAny(message);
                }

                Assert.NotEqual(buffer.Start, consumed);
                buffer = buffer.Slice(consumed);
            }
        }
    }

    [Fact]
    public void RandomExtensionPayloadsNeverThrow()
    {
        var random = new Random(77);
        var pieces = new[] { "d", "e", "1:m", "d1:m", "i1e", "i-1e", "11:ut_metadata", "8:msg_type", "5:piece", "10:total_size", "13:metadata_size", "4:reqq", "1:v", "6:yourip", "4:abcd", "l", "0:" };
        for (var i = 0; i < 20_000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var payload = System.Text.Encoding.Latin1.GetBytes(text);
            _ = ExtendedHandshake.TryParse(payload, out _, out _);
            _ = UtMetadataMessage.TryParse(payload, out _, out _);
        }
    }

    private static void ParseAny(PeerMessage message)
    {
        var payload = message.Payload.ToArray();
        _ = message.Id switch
        {
            PeerMessageId.Have => HaveMessage.TryParse(payload, out _, out _),
            PeerMessageId.Bitfield => BitfieldMessage.TryParse(payload, payload.Length * 8, out _, out _),
            PeerMessageId.Request => RequestMessage.TryParse(payload, out _, out _),
            PeerMessageId.Piece => PieceMessageHeader.TryParse(payload, out _, out _),
            PeerMessageId.Cancel => CancelMessage.TryParse(payload, out _, out _),
            PeerMessageId.Port => PortMessage.TryParse(payload, out _, out _),
            PeerMessageId.Extended => ExtendedMessage.TryParse(payload, out _, out _),
            PeerMessageId.HashRequest => HashRequestMessage.TryParse(payload, out _, out _),
            PeerMessageId.Hashes => HashesMessage.TryParse(payload, out _, out _),
            PeerMessageId.HashReject => HashRejectMessage.TryParse(payload, out _, out _),
            _ => true,
        };
    }
}
