using System.Security.Cryptography;
using System.Text;
using Peerbucket.Protocols.Bencode;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentFileTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    private static TorrentFileException Reject(byte[] torrent) => Assert.Throws<TorrentFileException>(() => TorrentFile.Parse(torrent));

    private static byte[] Hybrid(int size) => TorrentBuilder.BuildTorrent(
        TorrentHasherTests.Hash(TorrentHasherTests.Data(size), 32 * 1024, 1 << 20), TorrentFormat.Hybrid, "f"u8);

    [Fact]
    public void InfoHashIsOverTheExactInfoBytesIncludingUnknownKeys()
    {
        var info = "d6:lengthi3e4:name1:f12:piece lengthi16384e6:pieces20:" + new string('p', 20) + "7:x-extra3:yese";
        var torrent = B("d8:announce9:http://t/4:info" + info + "8:url-list9:http://w/e");
        var parsed = TorrentFile.Parse(torrent);
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(B(info))), parsed.InfoHashes.V1Hex);
        Assert.Equal(B(info), parsed.InfoBytes.ToArray());
        Assert.Equal(["http://w/"], parsed.UrlList);
        Assert.Equal("http://t/", parsed.Announce);
        Assert.Empty(parsed.AnnounceList);
        Assert.Equal(TorrentFormat.V1, parsed.Format);
    }

    [Fact]
    public void InvalidBencodeIsRejectedWithTheBencodeReasonAndOffset()
    {
        var error = Reject(B("d4:infod6:lengthi03eee"));
        Assert.Equal(TorrentFileError.InvalidBencode, error.Error);
        Assert.Equal(BencodeError.LeadingZero, error.BencodeError);
        Assert.Equal(16, error.Offset);
    }

    [Fact]
    public void UnsortedKeysAreRejectedRatherThanReencoded()
        => Assert.Equal(BencodeError.UnsortedKeys, Reject(B("d4:infode8:announce1:xe")).BencodeError);

    [Fact]
    public void NonDictionaryIsRejected() => Assert.Equal(TorrentFileError.NotADictionary, Reject(B("le")).Error);

    [Fact]
    public void MissingInfoIsRejected()
    {
        var error = Reject(B("d8:announce1:xe"));
        Assert.Equal(TorrentFileError.MissingKey, error.Error);
        Assert.Equal("info", error.Key);
    }

    [Fact]
    public void MultiFileTorrentIsRejected()
        => Assert.Equal(
            TorrentFileError.MultiFileNotSupported,
            Reject(B("d4:infod5:filesld6:lengthi1e4:pathl1:aeee4:name1:d12:piece lengthi16384e6:pieces20:" + new string('p', 20) + "ee")).Error);

    [Fact]
    public void PiecesOfTheWrongSizeAreRejected()
    {
        var error = Reject(B("d4:infod6:lengthi16385e4:name1:f12:piece lengthi16384e6:pieces20:" + new string('p', 20) + "ee"));
        Assert.Equal(TorrentFileError.InvalidValue, error.Error);
        Assert.Equal("pieces", error.Key);
    }

    [Fact]
    public void WrongTypeIsRejected()
        => Assert.Equal(TorrentFileError.WrongType, Reject(B("d4:infod6:length1:14:name1:f12:piece lengthi16384e6:pieces0:ee")).Error);

    [Fact]
    public void V2WithoutPieceLayersIsRejected()
    {
        var root = (BDictionary)BencodeReader.Decode(Hybrid(100_000));
        var stripped = new BDictionary(root.Entries.Where(e => !e.Key.Span.SequenceEqual("piece layers"u8)));
        Assert.Equal(TorrentFileError.InvalidPieceLayers, Reject(BencodeWriter.Encode(stripped)).Error);
    }

    [Fact]
    public void PieceLayerThatDoesNotHashToTheRootIsRejected()
    {
        var torrent = Hybrid(100_000);
        var root = (BDictionary)BencodeReader.Decode(torrent);
        var layer = root.Get<BDictionary>("piece layers"u8)!.Entries[0].Value;
        torrent[layer.Offset + layer.Raw.Length - 1] ^= 1;
        Assert.Equal(TorrentFileError.InvalidPieceLayers, Reject(torrent).Error);
    }

    [Fact]
    public void HybridWithDifferentLengthsIsRejected()
    {
        var torrent = Encoding.Latin1.GetString(Hybrid(1000));
        var tampered = B(torrent.Replace("6:lengthi1000e12:meta version", "6:lengthi1001e12:meta version", StringComparison.Ordinal));
        Assert.Equal(TorrentFileError.InconsistentHybrid, Reject(tampered).Error);
    }

    [Fact]
    public void EveryTruncationOfAValidTorrentIsRejectedWithATypedError()
    {
        var torrent = Hybrid(70_000);
        for (var length = 0; length < torrent.Length; length += 7)
        {
            Assert.Equal(TorrentFileError.InvalidBencode, Reject(torrent[..length]).Error);
        }
    }
}
