using System.Text;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentFileFuzzTests
{
    [Fact]
    public void FiveThousandMutatedTorrentsParseOrFailOnlyWithTorrentFileException()
    {
        var seeds = new[]
        {
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(100_000), 16 * 1024, 1 << 20), TorrentFormat.Hybrid, "f"u8, new TorrentOptions { AnnounceList = [["http://t/"]], UrlList = ["http://w/"] }),
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(40_000), 16 * 1024, 1 << 20), TorrentFormat.V2, "g"u8),
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(5), 16 * 1024, 1 << 20), TorrentFormat.V1, "h"u8, new TorrentOptions { Announce = "http://t/" }),
        };
        var random = new Random(42);
        var parsed = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var input = (byte[])seeds[i % seeds.Length].Clone();
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(input.Length);
                input[at] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)"0123456789ilde:-"[random.Next(16)];
            }

            try
            {
                var torrent = TorrentFile.Parse(input);
                Assert.True(torrent.Length >= 0);
                parsed++;
            }
            catch (TorrentFileException)
            {
            }
        }

        Assert.InRange(parsed, 1, 4_999);
    }

    [Theory]
    [InlineData("9223372036854775807", "16384", "20")]
    [InlineData("9223372036854775807", "1", "20")]
    [InlineData("4611686018427387904", "1", "0")]
    public void HugeLengthsAreRejectedWithATypedError(string length, string pieceLength, string piecesSize)
    {
        var size = int.Parse(piecesSize, System.Globalization.CultureInfo.InvariantCulture);
        var torrent = Encoding.Latin1.GetBytes($"d4:infod6:lengthi{length}e4:name1:f12:piece lengthi{pieceLength}e6:pieces{size}:{new string('p', size)}ee");
        var error = Assert.Throws<TorrentFileException>(() => TorrentFile.Parse(torrent));
        Assert.Equal(TorrentFileError.InvalidValue, error.Error);
    }
}
