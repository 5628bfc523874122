using System.Security.Cryptography;
using System.Text;
using Peerbucket.Protocols.Bencode;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentBuilderTests
{
    private const int K32 = 32 * 1024;

    private static TorrentFacts Facts(int size, long pieceLength = K32) => TorrentHasherTests.Hash(TorrentHasherTests.Data(size), pieceLength, 1 << 20);

    [Fact]
    public void V1InfoIsTheGoldenBytes()
    {
        var facts = TorrentHasherTests.Hash("a"u8, 16 * 1024, 1);
        var info = TorrentBuilder.BuildInfo("a.txt"u8, facts, TorrentFormat.V1);
        var expected = "d6:lengthi1e4:name5:a.txt12:piece lengthi16384e6:pieces20:"u8.ToArray()
            .Concat(SHA1.HashData("a"u8)).Concat("e"u8.ToArray()).ToArray();
        Assert.Equal(expected, info);
    }

    [Fact]
    public void V2InfoIsTheGoldenBytes()
    {
        var facts = TorrentHasherTests.Hash("a"u8, 16 * 1024, 1);
        var info = TorrentBuilder.BuildInfo("a.txt"u8, facts, TorrentFormat.V2);
        var expected = "d9:file treed5:a.txtd0:d6:lengthi1e11:pieces root32:"u8.ToArray()
            .Concat(SHA256.HashData("a"u8))
            .Concat("eee12:meta versioni2e4:name5:a.txt12:piece lengthi16384ee"u8.ToArray()).ToArray();
        Assert.Equal(expected, info);
    }

    [Fact]
    public void HybridInfoHasBothPartsInRawKeyOrder()
    {
        var info = TorrentBuilder.BuildInfo("x.bin"u8, Facts(100_000), TorrentFormat.Hybrid);
        var dict = Assert.IsType<BDictionary>(BencodeReader.Decode(info));
        Assert.Equal(
            ["file tree", "length", "meta version", "name", "piece length", "pieces"],
            dict.Entries.Select(e => Encoding.ASCII.GetString(e.Key.Span)));
    }

    [Theory]
    [InlineData(TorrentFormat.V1, 1)]
    [InlineData(TorrentFormat.V1, 100_000)]
    [InlineData(TorrentFormat.V2, 1)]
    [InlineData(TorrentFormat.V2, K32)]
    [InlineData(TorrentFormat.V2, 100_000)]
    [InlineData(TorrentFormat.Hybrid, 1)]
    [InlineData(TorrentFormat.Hybrid, K32)]
    [InlineData(TorrentFormat.Hybrid, (4 * K32) + 1)]
    public void BuiltTorrentParsesBackWithTheSameFactsAndInfoHashes(TorrentFormat format, int size)
    {
        var facts = Facts(size);
        var options = new TorrentOptions
        {
            AnnounceList = [["http://tracker.example/announce"], ["udp://backup.example:6969/announce", "http://b2.example/announce"]],
            UrlList = ["https://s3.example/bucket/key"],
            CreationDate = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            CreatedBy = "Peerbucket test",
        };
        var torrent = TorrentBuilder.BuildTorrent(facts, format, "file name é.bin"u8, options);
        var parsed = TorrentFile.Parse(torrent);
        var expectedHashes = InfoHashes.Compute(TorrentBuilder.BuildInfo("file name é.bin"u8, facts, format), format);

        Assert.Equal(format, parsed.Format);
        Assert.Equal("file name é.bin", parsed.DisplayName);
        Assert.Equal(size, parsed.Length);
        Assert.Equal(K32, parsed.PieceLength);
        Assert.Equal(facts.PieceCount, parsed.PieceCount);
        Assert.Equal(expectedHashes.V1Hex, parsed.InfoHashes.V1Hex);
        Assert.Equal(expectedHashes.V2Hex, parsed.InfoHashes.V2Hex);
        Assert.Equal("http://tracker.example/announce", parsed.Announce);
        Assert.Equal(options.AnnounceList, parsed.AnnounceList);
        Assert.Equal(options.UrlList, parsed.UrlList);
        Assert.Equal(options.CreationDate, parsed.CreationDate);
        Assert.Equal("Peerbucket test", parsed.CreatedBy);
        if (format != TorrentFormat.V2)
        {
            Assert.Equal(facts.Sha1Pieces.ToArray(), parsed.Sha1Pieces.ToArray());
        }

        if (format != TorrentFormat.V1)
        {
            Assert.Equal(facts.PiecesRoot.ToArray(), parsed.PiecesRoot.ToArray());
            Assert.Equal(facts.PieceLayer.ToArray(), parsed.PieceLayer.ToArray());
        }
    }

    [Theory]
    [InlineData(TorrentFormat.V1, 100_000, false)]
    [InlineData(TorrentFormat.V2, K32, false)]
    [InlineData(TorrentFormat.V2, K32 + 1, true)]
    [InlineData(TorrentFormat.Hybrid, 100_000, true)]
    public void PieceLayersAreWrittenOnlyForV2FilesLongerThanOnePiece(TorrentFormat format, int size, bool expected)
    {
        var root = Assert.IsType<BDictionary>(BencodeReader.Decode(TorrentBuilder.BuildTorrent(Facts(size), format, "f"u8)));
        Assert.Equal(expected, root.ContainsKey("piece layers"u8));
    }

    [Fact]
    public void TopLevelKeysAreSortedAndAnnounceDefaultsToFirstTracker()
    {
        var torrent = TorrentBuilder.BuildTorrent(Facts(100_000), TorrentFormat.Hybrid, "f"u8, new TorrentOptions
        {
            AnnounceList = [["http://a.example/announce"]],
            UrlList = ["https://s3.example/b/f"],
            CreationDate = DateTimeOffset.UnixEpoch,
            CreatedBy = "x",
        });
        var root = Assert.IsType<BDictionary>(BencodeReader.Decode(torrent));
        Assert.Equal(
            ["announce", "announce-list", "created by", "creation date", "info", "piece layers", "url-list"],
            root.Entries.Select(e => Encoding.ASCII.GetString(e.Key.Span)));
        Assert.Equal("http://a.example/announce", root.Get<BString>("announce"u8)!.ToString());
    }

    [Fact]
    public void MinimalTorrentHasOnlyInfo()
    {
        var torrent = TorrentBuilder.BuildTorrent(Facts(10), TorrentFormat.V1, "f"u8);
        var root = Assert.IsType<BDictionary>(BencodeReader.Decode(torrent));
        Assert.Equal(["info"], root.Entries.Select(e => Encoding.ASCII.GetString(e.Key.Span)));
    }

    [Theory]
    [InlineData(TorrentFormat.V1)]
    [InlineData(TorrentFormat.V2)]
    [InlineData(TorrentFormat.Hybrid)]
    public void EmptyFileIsRefused(TorrentFormat format)
        => Assert.Throws<ArgumentException>(() => TorrentBuilder.BuildInfo("empty"u8, Facts(0), format));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("dir/file")]
    [InlineData("nul\0")]
    public void InvalidNameIsRefused(string name)
        => Assert.Throws<ArgumentException>(() => TorrentBuilder.BuildInfo(Encoding.UTF8.GetBytes(name), Facts(10), TorrentFormat.Hybrid));

    [Fact]
    public void InfoHashesAreShaOneAndShaTwoFiftySixOfTheInfoBytes()
    {
        var info = TorrentBuilder.BuildInfo("f"u8, Facts(1000), TorrentFormat.Hybrid);
        var hashes = InfoHashes.Compute(info, TorrentFormat.Hybrid);
        Assert.Equal(SHA1.HashData(info), hashes.V1.ToArray());
        Assert.Equal(SHA256.HashData(info), hashes.V2.ToArray());
        Assert.Equal(SHA256.HashData(info)[..20], hashes.V2Truncated.ToArray());
        Assert.Equal(SHA256.HashData(info)[..20], InfoHashes.Truncate(hashes.V2.Span).ToArray());
        Assert.False(InfoHashes.Compute(info, TorrentFormat.V1).HasV2);
        Assert.False(InfoHashes.Compute(info, TorrentFormat.V2).HasV1);
    }
}
