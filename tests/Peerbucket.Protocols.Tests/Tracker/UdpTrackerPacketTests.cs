using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Protocols.Tests.Tracker;

public class UdpTrackerPacketTests
{
    // BEP 15 connect request: protocol_id 0x41727101980, action 0, transaction_id.
    private static readonly byte[] ConnectPacket = Convert.FromHexString("0000041727101980" + "00000000" + "DEADBEEF");

    private static byte[] AnnouncePacket()
    {
        // Offsets from BEP 15's table: connection_id 0, action 8, transaction_id 12, info_hash 16, peer_id 36,
        // downloaded 56, left 64, uploaded 72, event 80, IP 84, key 88, num_want 92, port 96.
        var hex = "0123456789ABCDEF" + "00000001" + "00000042"
            + "0102030405060708090A0B0C0D0E0F1011121314"
            + "2D5142343530302D6162636465666768696A6B6C"
            + "0000000000001000" + "FFFFFFFFFFFFFFFF" + "0000000000000200"
            + "00000002" + "C0A80001" + "CAFEBABE" + "FFFFFFFF" + "1AE1";
        return Convert.FromHexString(hex);
    }

    [Fact]
    public void ConnectRequestFromBep15Parses()
    {
        Assert.True(UdpTrackerPacket.TryParse(ConnectPacket, out var request, out _));
        var connect = Assert.IsType<UdpConnectRequest>(request);
        Assert.Equal(unchecked((int)0xDEADBEEF), connect.TransactionId);
        Assert.Equal(UdpTrackerAction.Connect, connect.Action);
    }

    [Fact]
    public void ConnectWithWrongProtocolIdFails()
    {
        var packet = (byte[])ConnectPacket.Clone();
        packet[7] ^= 1;
        Assert.False(UdpTrackerPacket.TryParse(packet, out _, out var failure));
        Assert.Equal(TrackerFailure.BadProtocolId, failure);
    }

    [Fact]
    public void AnnounceFromBep15LayoutParses()
    {
        Assert.True(UdpTrackerPacket.TryParse(AnnouncePacket(), out var request, out _));
        var announce = Assert.IsType<UdpAnnounceRequest>(request);
        Assert.Equal(0x0123456789ABCDEFUL, announce.ConnectionId);
        Assert.Equal(0x42, announce.TransactionId);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (byte)i), announce.InfoHash);
        Assert.Equal("-QB4500-abcdefghijkl"u8.ToArray(), announce.PeerId);
        Assert.Equal(0x1000, announce.Downloaded);
        Assert.Equal(-1, announce.Left);
        Assert.Equal(0x200, announce.Uploaded);
        Assert.Equal(AnnounceEvent.Started, announce.Event);
        Assert.Equal(0xC0A80001u, announce.Ip);
        Assert.Equal(0xCAFEBABEu, announce.Key);
        Assert.Equal(-1, announce.NumWant);
        Assert.Equal(6881, announce.Port);

        var http = announce.ToAnnounceRequest();
        Assert.Null(http.Left);
        Assert.Equal(50, http.NumWant);
        Assert.Equal("192.168.0.1", http.Ip);
        Assert.Equal("cafebabe", http.Key);
        Assert.Equal(6881, http.Port);
    }

    [Fact]
    public void AnnounceExtensionBytesAfterByte98AreIgnored()
    {
        byte[] packet = [.. AnnouncePacket(), 0x02, 0x05, (byte)'/', (byte)'a', (byte)'n', (byte)'n', (byte)'o'];
        Assert.True(UdpTrackerPacket.TryParse(packet, out var request, out _));
        Assert.Equal(6881, Assert.IsType<UdpAnnounceRequest>(request).Port);
    }

    [Theory]
    [InlineData(0, AnnounceEvent.None)]
    [InlineData(1, AnnounceEvent.Completed)]
    [InlineData(2, AnnounceEvent.Started)]
    [InlineData(3, AnnounceEvent.Stopped)]
    [InlineData(4, AnnounceEvent.None)]
    [InlineData(-1, AnnounceEvent.None)]
    public void AnnounceEventCodesMapAndUnknownCodesReadAsNone(int code, AnnounceEvent expected)
    {
        var packet = AnnouncePacket();
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), code);
        Assert.True(UdpTrackerPacket.TryParse(packet, out var request, out _));
        Assert.Equal(expected, Assert.IsType<UdpAnnounceRequest>(request).Event);
    }

    [Fact]
    public void ScrapeCarriesHashesInOrder()
    {
        var packet = new byte[16 + 40];
        BinaryPrimitives.WriteUInt64BigEndian(packet, 7);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), 9);
        packet.AsSpan(16, 20).Fill(0xAA);
        packet.AsSpan(36, 20).Fill(0xBB);

        Assert.True(UdpTrackerPacket.TryParse(packet, out var request, out _));
        var scrape = Assert.IsType<UdpScrapeRequest>(request);
        Assert.Equal(7UL, scrape.ConnectionId);
        Assert.Equal(9, scrape.TransactionId);
        Assert.Equal(2, scrape.InfoHashes.Count);
        Assert.All(scrape.InfoHashes[0], b => Assert.Equal(0xAA, b));
        Assert.All(scrape.InfoHashes[1], b => Assert.Equal(0xBB, b));
    }

    [Theory]
    [InlineData(16, TrackerFailure.WrongSize)]
    [InlineData(16 + 19, TrackerFailure.WrongSize)]
    [InlineData(16 + 21, TrackerFailure.WrongSize)]
    [InlineData(16 + (20 * 75), TrackerFailure.TooManyInfoHashes)]
    public void MalformedScrapesFail(int size, TrackerFailure expected)
    {
        var packet = new byte[size];
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 2);
        Assert.False(UdpTrackerPacket.TryParse(packet, out _, out var failure));
        Assert.Equal(expected, failure);
    }

    [Fact]
    public void SeventyFourHashScrapeParses()
    {
        var packet = new byte[16 + (20 * 74)];
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 2);
        Assert.True(UdpTrackerPacket.TryParse(packet, out var request, out _));
        Assert.Equal(74, Assert.IsType<UdpScrapeRequest>(request).InfoHashes.Count);
    }

    [Fact]
    public void UnknownActionAndShortAnnounceFail()
    {
        var packet = AnnouncePacket();
        Assert.False(UdpTrackerPacket.TryParse(packet.AsSpan(0, 97), out _, out var failure));
        Assert.Equal(TrackerFailure.WrongSize, failure);

        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 3);
        Assert.False(UdpTrackerPacket.TryParse(packet, out _, out failure));
        Assert.Equal(TrackerFailure.UnknownAction, failure);
        Assert.True(UdpTrackerPacket.TryGetTransactionId(packet, out var transactionId));
        Assert.Equal(0x42, transactionId);
    }

    [Fact]
    public void EveryPacketSizeUpTo120ParsesWithoutException()
    {
        for (var action = -1; action <= 4; action++)
        {
            for (var size = 0; size <= 120; size++)
            {
                foreach (var fill in new byte[] { 0x00, 0xFF })
                {
                    var packet = new byte[size];
                    packet.AsSpan().Fill(fill);
                    if (size >= 16)
                    {
                        BinaryPrimitives.WriteUInt64BigEndian(packet, UdpTrackerPacket.ProtocolId);
                        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), action);
                    }

                    var ok = UdpTrackerPacket.TryParse(packet, out var request, out var failure);
                    Assert.Equal(ok, request is not null);
                    Assert.Equal(ok, failure == TrackerFailure.None);
                    var expectOk = action switch
                    {
                        0 => size >= 16,
                        1 => size >= 98,
                        2 => size is 36 or 56 or 76 or 96 or 116,
                        _ => false,
                    };
                    Assert.Equal(expectOk, ok);
                }
            }
        }
    }

    [Fact]
    public void ConnectResponseIsSixteenBytes()
    {
        var buffer = new byte[17];
        buffer.AsSpan().Fill(0xFF);
        Assert.Equal(16, UdpTrackerPacket.WriteConnectResponse(buffer.AsSpan(1), 0x42, 0x1122334455667788));
        Assert.Equal(Convert.FromHexString("FF" + "00000000" + "00000042" + "1122334455667788"), buffer);
    }

    [Fact]
    public void AnnounceResponseCarriesOnlyTheRequestFamily()
    {
        PeerEndpoint[] peers = [new(IPAddress.Parse("10.0.0.1"), 6881), new(IPAddress.Parse("2001:db8::1"), 1)];
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(26, UdpTrackerPacket.WriteAnnounceResponse(output, 5, 1800, 2, 3, peers, AddressFamily.InterNetwork));
        Assert.Equal(Convert.FromHexString("00000001" + "00000005" + "00000708" + "00000002" + "00000003" + "0A0000011AE1"), output.WrittenSpan.ToArray());

        output.Clear();
        Assert.Equal(38, UdpTrackerPacket.WriteAnnounceResponse(output, 5, 1800, 2, 3, peers, AddressFamily.InterNetworkV6));
        Assert.Equal(Convert.FromHexString("20010DB80000000000000000000000010001"), output.WrittenSpan[20..].ToArray());
    }

    [Fact]
    public void ScrapeResponseIsTwelveBytesPerFile()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(32, UdpTrackerPacket.WriteScrapeResponse(output, 9, [new ScrapeFile(new byte[20], 1, 2, 3), new ScrapeFile(new byte[20], 4, 5, 6)]));
        Assert.Equal(
            Convert.FromHexString("00000002" + "00000009" + "000000010000000200000003" + "000000040000000500000006"),
            output.WrittenSpan.ToArray());
    }

    [Fact]
    public void ErrorResponseIsActionThreeAndMessage()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(8 + 15, UdpTrackerPacket.WriteErrorResponse(output, 9, TrackerFailure.BadProtocolId));
        Assert.Equal([.. Convert.FromHexString("0000000300000009"), .. "bad protocol id"u8], output.WrittenSpan.ToArray());

        output.Clear();
        Assert.Equal(8 + 256, UdpTrackerPacket.WriteErrorResponse(output, 9, new string('x', 1000)));
    }

    [Theory]
    [InlineData(16, "6261642070726f74")]
    [InlineData(9, "62")]
    [InlineData(8, "")]
    public void ErrorResponseFitsTheReplyLimit(int maxReplySize, string message)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(maxReplySize, UdpTrackerPacket.WriteErrorResponse(output, 9, TrackerFailure.BadProtocolId, maxReplySize));
        Assert.Equal("0000000300000009" + message, Convert.ToHexStringLower(output.WrittenSpan));
    }

    [Fact]
    public void ErrorResponseIsNothingBelowItsHeaderSize()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(0, UdpTrackerPacket.WriteErrorResponse(output, 9, "message", maxReplySize: 7));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void ErrorResponseCutAtTheReplyLimitKeepsUtf8SequencesWhole()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(8 + 1, UdpTrackerPacket.WriteErrorResponse(output, 9, "aé", maxReplySize: 10));
        Assert.Equal("0000000300000009" + "61", Convert.ToHexStringLower(output.WrittenSpan));
    }
}
