using System.Buffers;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class PeerMessageReaderTests
{
    private const int Cap = PeerWireLimits.DefaultMaxMessageLength;

    private static readonly string Root = string.Concat(Enumerable.Repeat("AB", 32));

    // Golden frames written from the BEP text: <length prefix><id><payload>, big-endian.
    public static TheoryData<string, string, int> Golden => new()
    {
        { "choke", "00000001" + "00", 0 },
        { "unchoke", "00000001" + "01", 0 },
        { "interested", "00000001" + "02", 0 },
        { "not interested", "00000001" + "03", 0 },
        { "have 5", "00000005" + "04" + "00000005", 0 },
        { "bitfield 10 of 10", "00000003" + "05" + "FFC0", 10 },
        { "bitfield 0,9 of 12", "00000003" + "05" + "8040", 12 },
        { "request", "0000000D" + "06" + "00000001" + "00004000" + "00004000", 0 },
        { "piece", "0000000C" + "07" + "00000001" + "00000000" + "616263", 0 },
        { "empty piece", "00000009" + "07" + "00000001" + "00000000", 0 },
        { "cancel", "0000000D" + "08" + "00000001" + "00004000" + "00004000", 0 },
        { "port 6881", "00000003" + "09" + "1AE1", 0 },
        { "suggest 7", "00000005" + "0D" + "00000007", 0 },
        { "have all", "00000001" + "0E", 0 },
        { "have none", "00000001" + "0F", 0 },
        { "reject", "0000000D" + "10" + "00000002" + "00000000" + "00004000", 0 },
        { "allowed fast 3", "00000005" + "11" + "00000003", 0 },
        { "extended handshake {}", "00000004" + "14" + "00" + "6465", 0 },
        { "extended ut_metadata", "0000001B" + "14" + "03" + "64383A6D73675F74797065693065353A7069656365693065" + "65", 0 },
        { "hash request", "00000031" + "15" + Root + "00000001" + "00000000" + "00000002" + "00000003", 0 },
        { "hashes", "00000071" + "16" + Root + "00000001" + "00000000" + "00000002" + "00000000" + string.Concat(Enumerable.Repeat("11", 64)), 0 },
        { "hash reject", "00000031" + "17" + Root + "00000001" + "00000004" + "00000004" + "00000001", 0 },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void GoldenMessageParsesIdenticallyInEveryShapeAndRoundTrips(string name, string hex, int pieceCount)
    {
        var bytes = Convert.FromHexString(hex);
        foreach (var shape in TestSegment.AllShapes(bytes))
        {
            var status = PeerMessageReader.TryRead(shape, Cap, out var message, out var consumed, out var error);
            Assert.True(status == PeerReadStatus.Message, $"{name}: {status} {error}");
            Assert.Equal(shape.End, consumed);
            Assert.Equal(bytes[4], message.RawId);
            Assert.Equal(bytes, Reencoder.Reencode(message, pieceCount));
        }
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void EveryPrefixNeedsMoreDataAndConsumesNothing(string name, string hex, int pieceCount)
    {
        _ = pieceCount;
        var bytes = Convert.FromHexString(hex);
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = TestSegment.OneBytePerSegment(bytes[..length]);
            var status = PeerMessageReader.TryRead(prefix, Cap, out _, out var consumed, out var error);
            Assert.True(status == PeerReadStatus.NeedMoreData, $"{name} prefix {length}: {status} {error}");
            Assert.Equal(prefix.Start, consumed);
        }
    }

    [Fact]
    public void KeepAliveConsumesFourBytes()
    {
        var buffer = TestSegment.OneBytePerSegment([0, 0, 0, 0, 0, 0, 0, 1, 2]);
        Assert.Equal(PeerReadStatus.KeepAlive, PeerMessageReader.TryRead(buffer, Cap, out _, out var consumed, out _));
        Assert.Equal(4, buffer.Slice(0, consumed).Length);

        var rest = buffer.Slice(consumed);
        Assert.Equal(PeerReadStatus.Message, PeerMessageReader.TryRead(rest, Cap, out var message, out consumed, out _));
        Assert.Equal(PeerMessageId.Interested, message.Id);
        Assert.Equal(rest.End, consumed);
    }

    [Fact]
    public void BackToBackMessagesAreReadOneAtATime()
    {
        var bytes = Convert.FromHexString("00000001" + "01" + "00000005" + "04" + "0000002A" + "00000001" + "0E");
        var buffer = TestSegment.Split(bytes, 3, 7, 11);
        var ids = new List<PeerMessageId>();
        while (PeerMessageReader.TryRead(buffer, Cap, out var message, out var consumed, out _) == PeerReadStatus.Message)
        {
            ids.Add(message.Id);
            buffer = buffer.Slice(consumed);
        }

        Assert.Equal([PeerMessageId.Unchoke, PeerMessageId.Have, PeerMessageId.HaveAll], ids);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData("7FFFFFFF")]
    [InlineData("FFFFFFFF")]
    [InlineData("00100001")]
    public void OversizedLengthPrefixIsRejectedFromTheFourBytesAlone(string prefix)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(prefix));
        Assert.Equal(PeerReadStatus.Invalid, PeerMessageReader.TryRead(buffer, Cap, out _, out var consumed, out var error));
        Assert.Equal(PeerWireError.MessageTooLong, error);
        Assert.Equal(buffer.Start, consumed);
    }

    [Theory]
    [InlineData("00004001" + "05")] // bitfield above a 16 KiB cap
    [InlineData("0000400A" + "07")] // piece with a block of 16 KiB + 1
    [InlineData("00004001" + "14")] // extended above the cap
    [InlineData("00004001" + "63")] // unknown id above the cap
    public void OversizedMessageIsRejectedFromItsHeaderBeforeTheBody(string head)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(head));
        Assert.Equal(PeerReadStatus.Invalid, PeerMessageReader.TryRead(buffer, 16 * 1024, out _, out _, out var error));
        Assert.Equal(PeerWireError.MessageTooLong, error);
    }

    [Fact]
    public void FullSizedPieceIsAcceptedUnderASmallCap()
    {
        var bytes = new byte[4 + 9 + PeerWireLimits.MaxBlockLength];
        Convert.FromHexString("00004009" + "07").CopyTo(bytes, 0);
        Assert.Equal(PeerReadStatus.Message, PeerMessageReader.TryRead(new ReadOnlySequence<byte>(bytes), 1024, out var message, out _, out _));
        Assert.Equal(8 + PeerWireLimits.MaxBlockLength, message.Payload.Length);
    }

    [Theory]
    [InlineData("00000002" + "00")]
    [InlineData("00000002" + "0E")]
    [InlineData("00000004" + "04")]
    [InlineData("0000000E" + "06")]
    [InlineData("0000000C" + "08")]
    [InlineData("00000002" + "09")]
    [InlineData("00000008" + "07")]
    [InlineData("00000001" + "14")]
    [InlineData("00000030" + "15")]
    [InlineData("00000032" + "16")]
    public void FixedSizeMessageWithWrongLengthIsATypedError(string head)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(head));
        Assert.Equal(PeerReadStatus.Invalid, PeerMessageReader.TryRead(buffer, Cap, out _, out _, out var error));
        Assert.Equal(PeerWireError.WrongLength, error);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(0x0C)]
    [InlineData(0x12)]
    [InlineData(24)]
    [InlineData(255)]
    public void UnknownIdIsADistinctResultTheCallerCanSkip(byte id)
    {
        var bytes = new byte[] { 0, 0, 0, 3, id, 1, 2, 0, 0, 0, 1, 2 };
        foreach (var shape in TestSegment.AllShapes(bytes))
        {
            Assert.Equal(PeerReadStatus.Unknown, PeerMessageReader.TryRead(shape, Cap, out var message, out var consumed, out _));
            Assert.Equal(id, message.RawId);
            Assert.Equal(new byte[] { 1, 2 }, message.Payload.ToArray());
            Assert.Equal(PeerReadStatus.Message, PeerMessageReader.TryRead(shape.Slice(consumed), Cap, out message, out _, out _));
            Assert.Equal(PeerMessageId.Interested, message.Id);
        }
    }

    [Fact]
    public void PayloadSpanCopiesOnlyWhenSegmented()
    {
        var bytes = Convert.FromHexString("0000000D" + "06" + "00000001" + "00004000" + "00004000");
        Span<byte> scratch = stackalloc byte[64];
        foreach (var shape in TestSegment.AllShapes(bytes))
        {
            PeerMessageReader.TryRead(shape, Cap, out var message, out _, out _);
            Assert.True(RequestMessage.TryParse(message.GetPayloadSpan(scratch), out var request, out _));
            Assert.Equal(new RequestMessage(1, 16384, 16384), request);
        }
    }
}
