using System.Buffers;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class HandshakeTests
{
    private static readonly byte[] InfoHash = Convert.FromHexString("0102030405060708090A0B0C0D0E0F1011121314");
    private static readonly byte[] PeerId = "-PB0100-abcdefghijkl"u8.ToArray();

    // BEP 3: 19, "BitTorrent protocol", 8 reserved bytes (extension protocol + fast here), info-hash, peer id.
    private static byte[] Golden() =>
    [
        19, .. "BitTorrent protocol"u8,
        0, 0, 0, 0, 0, 0x10, 0, 0x04,
        .. InfoHash,
        .. PeerId,
    ];

    [Fact]
    public void GoldenHandshakeParsesInEveryShape()
    {
        var bytes = Golden();
        Assert.Equal(68, bytes.Length);
        foreach (var shape in TestSegment.AllShapes(bytes))
        {
            Assert.Equal(HandshakeStatus.Done, Handshake.TryParse(shape, out var handshake, out var consumed, out _));
            Assert.Equal(shape.End, consumed);
            Assert.Equal(InfoHash, handshake!.InfoHash.ToArray());
            Assert.Equal(PeerId, handshake.PeerId.ToArray());
            Assert.True(handshake.SupportsFast);
            Assert.True(handshake.SupportsExtensionProtocol);
            Assert.False(handshake.SupportsV2Upgrade);
            Assert.False(handshake.SupportsDht);
        }
    }

    [Fact]
    public void ParseLeavesFollowingBytesAlone()
    {
        byte[] bytes = [.. Golden(), 0, 0, 0, 1, 0x0E];
        Assert.Equal(HandshakeStatus.Done, Handshake.TryParse(new ReadOnlySequence<byte>(bytes), out _, out var consumed, out _));
        Assert.Equal(68, new ReadOnlySequence<byte>(bytes).Slice(0, consumed).Length);
    }

    [Fact]
    public void EveryPrefixNeedsMoreDataAndConsumesNothing()
    {
        var bytes = Golden();
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = TestSegment.OneBytePerSegment(bytes[..length]);
            Assert.Equal(HandshakeStatus.NeedMoreData, Handshake.TryParse(prefix, out var handshake, out var consumed, out _));
            Assert.Null(handshake);
            Assert.Equal(prefix.Start, consumed);
        }
    }

    [Theory]
    [InlineData(0, 18)]
    [InlineData(0, 0x13 ^ 0x80)]
    [InlineData(1, (byte)'b')]
    [InlineData(19, (byte)'L')]
    public void WrongProtocolIsInvalidAsSoonAsTheByteArrives(int offset, int value)
    {
        var bytes = Golden();
        bytes[offset] = (byte)value;
        Assert.Equal(HandshakeStatus.Invalid, Handshake.TryParse(bytes.AsSpan(0, offset + 1), out _, out var error));
        Assert.Equal(PeerWireError.InvalidProtocol, error);
        Assert.Equal(HandshakeStatus.Invalid, Handshake.TryParse(bytes, out _, out _));
    }

    [Fact]
    public void WriteProducesTheGoldenBytes()
    {
        var handshake = new Handshake(Handshake.CreateReserved(fast: true, extensionProtocol: true), InfoHash, PeerId);
        var buffer = new byte[70];
        buffer.AsSpan().Fill(0xFF);
        Assert.Equal(68, handshake.Write(buffer.AsSpan(1, 68)));
        Assert.Equal(Golden(), buffer[1..69]);
        Assert.Equal(0xFF, buffer[0]);
        Assert.Equal(0xFF, buffer[69]);
    }

    [Fact]
    public void ReservedBitsMatchTheBeps()
    {
        Assert.Equal(Convert.FromHexString("0000000000000010"), Handshake.CreateReserved(fast: false, extensionProtocol: false, v2Upgrade: true));
        Assert.Equal(Convert.FromHexString("0000000000000001"), Handshake.CreateReserved(fast: false, extensionProtocol: false, dht: true));
        Assert.Equal(Convert.FromHexString("0000000000100004"), Handshake.CreateReserved(fast: true, extensionProtocol: true));
        var v2 = new Handshake(Handshake.CreateReserved(false, false, v2Upgrade: true), InfoHash, PeerId);
        Assert.True(v2.SupportsV2Upgrade);
        Assert.False(v2.SupportsFast);
    }
}
