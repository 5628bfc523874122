using System.Buffers;
using System.Net;
using System.Text;
using Peerbucket.Protocols.Bencode;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Protocols.Tests.Tracker;

public class TrackerReplyWriterTests
{
    private static readonly byte[] PeerIdA = "-PB0100-aaaaaaaaaaaa"u8.ToArray();

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    [Fact]
    public void CompactPeerIsAddressThenBigEndianPort()
    {
        // BEP 23: 10.0.0.1:6881 = 0A 00 00 01 1A E1.
        Span<byte> buffer = stackalloc byte[7];
        buffer.Fill(0xFF);
        Assert.Equal(6, TrackerReplyWriter.WriteCompactPeer(new PeerEndpoint(IPAddress.Parse("10.0.0.1"), 6881), buffer[1..]));
        Assert.Equal(new byte[] { 0xFF, 0x0A, 0x00, 0x00, 0x01, 0x1A, 0xE1 }, buffer.ToArray());
    }

    [Fact]
    public void CompactIPv6PeerIsEighteenBytes()
    {
        var bytes = TrackerReplyWriter.CompactPeers([new PeerEndpoint(IPAddress.Parse("2001:db8::1"), 51413)], System.Net.Sockets.AddressFamily.InterNetworkV6);
        Assert.Equal(Convert.FromHexString("20010db8000000000000000000000001C8D5"), bytes);
    }

    [Fact]
    public void CompactAnnounceSplitsFamiliesIntoPeersAndPeers6()
    {
        var output = new ArrayBufferWriter<byte>();
        PeerEndpoint[] peers =
        [
            new(IPAddress.Parse("10.0.0.1"), 6881, PeerIdA),
            new(IPAddress.Parse("2001:db8::1"), 51413),
            new(IPAddress.Parse("::ffff:192.168.1.2"), 80),
        ];

        TrackerReplyWriter.Announce(output, 1800, 900, 3, 7, peers, compact: true, noPeerId: false);

        var expected = "d8:completei3e10:incompletei7e8:intervali1800e12:min intervali900e"
            + "5:peers12:\x0A\x00\x00\x01\x1A\xE1\xC0\xA8\x01\x02\x00\x50"
            + "6:peers618:\x20\x01\x0D\xB8\0\0\0\0\0\0\0\0\0\0\0\x01\xC8\xD5" + "e";
        Assert.Equal(expected, Latin1(output.WrittenSpan));
        BencodeReader.Decode(output.WrittenMemory);
    }

    [Fact]
    public void CompactAnnounceWithoutPeersHasEmptyPeersAndNoPeers6()
    {
        var output = new ArrayBufferWriter<byte>();
        TrackerReplyWriter.Announce(output, 60, 30, 0, 0, [], compact: true, noPeerId: true);
        Assert.Equal("d8:completei0e10:incompletei0e8:intervali60e12:min intervali30e5:peers0:e", Latin1(output.WrittenSpan));
    }

    [Fact]
    public void NonCompactAnnounceListsDictionariesInKeyOrder()
    {
        var output = new ArrayBufferWriter<byte>();
        PeerEndpoint[] peers = [new(IPAddress.Parse("10.0.0.1"), 6881, PeerIdA), new(IPAddress.Parse("2001:db8::1"), 1)];

        TrackerReplyWriter.Announce(output, 1800, 900, 1, 0, peers, compact: false, noPeerId: false);

        Assert.Equal(
            "d8:completei1e10:incompletei0e8:intervali1800e12:min intervali900e"
            + "5:peersld2:ip8:10.0.0.17:peer id20:-PB0100-aaaaaaaaaaaa4:porti6881eed2:ip11:2001:db8::14:porti1eeee",
            Latin1(output.WrittenSpan));
    }

    [Fact]
    public void NoPeerIdOmitsPeerIds()
    {
        var output = new ArrayBufferWriter<byte>();
        TrackerReplyWriter.Announce(output, 1, 1, 1, 0, [new(IPAddress.Parse("10.0.0.1"), 6881, PeerIdA)], compact: false, noPeerId: true);
        Assert.Contains("d2:ip8:10.0.0.14:porti6881ee", Latin1(output.WrittenSpan), StringComparison.Ordinal);
        Assert.DoesNotContain("peer id", Latin1(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void FailureIsABencodedFailureReason()
    {
        var output = new ArrayBufferWriter<byte>();
        TrackerReplyWriter.Failure(output, "torrent not found");
        Assert.Equal("d14:failure reason17:torrent not founde", Latin1(output.WrittenSpan));

        output.Clear();
        TrackerReplyWriter.Failure(output, TrackerFailure.MissingPort);
        Assert.Equal("d14:failure reason12:missing porte", Latin1(output.WrittenSpan));
    }

    [Fact]
    public void AnUnservedTorrentIsAnUnregisteredTorrent()
    {
        // "unregistered torrent" is what clients (qBittorrent, Transmission) recognise as "this tracker will never
        // know it"; the text is the one the tracker sent before its failures were typed.
        var output = new ArrayBufferWriter<byte>();
        TrackerReplyWriter.Failure(output, TrackerFailure.UnknownTorrent);
        Assert.Equal("d14:failure reason86:unregistered torrent: this tracker only tracks public objects of this Peerbucket storee",
            Latin1(output.WrittenSpan));
    }

    [Fact]
    public void ScrapeSortsFilesByRawHash()
    {
        var high = Enumerable.Repeat((byte)0xEE, 20).ToArray();
        var low = Enumerable.Repeat((byte)'a', 20).ToArray();
        var output = new ArrayBufferWriter<byte>();

        TrackerReplyWriter.Scrape(output, [new ScrapeFile(high, 5, 10, 2), new ScrapeFile(low, 0, 0, 1)]);

        Assert.Equal(
            "d5:filesd20:aaaaaaaaaaaaaaaaaaaad8:completei0e10:downloadedi0e10:incompletei1ee"
            + "20:" + new string('\xEE', 20) + "d8:completei5e10:downloadedi10e10:incompletei2eeee",
            Latin1(output.WrittenSpan));
        BencodeReader.Decode(output.WrittenMemory);
    }

    [Fact]
    public void ScrapeRefusesDuplicateHashes()
    {
        var hash = new byte[20];
        Assert.Throws<ArgumentException>(() => TrackerReplyWriter.Scrape(new ArrayBufferWriter<byte>(), [new ScrapeFile(hash, 1, 1, 1), new ScrapeFile(hash, 1, 1, 1)]));
    }
}
