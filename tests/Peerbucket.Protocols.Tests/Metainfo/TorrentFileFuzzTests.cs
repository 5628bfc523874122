using System.Security.Cryptography;
using System.Text;
using Peerbucket.Protocols.Bencode;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentFileFuzzTests
{
    /// <summary>
    /// Every mutant either parses into a torrent that agrees with its own bytes, or is rejected with a typed error.
    /// Parsed: the input is strict bencode, so it re-encodes byte for byte; the info-hashes are the SHA-1/SHA-256 of
    /// the exact <c>info</c> bytes, which are a slice of the input, and they differ from the original's exactly when
    /// those bytes do; the pieces fields fit the length and piece length. Rejected: only
    /// <see cref="TorrentFileException"/>, with a defined reason (and a bencode error and offset inside the input when
    /// the bencode itself is bad). Any other exception fails the test.
    /// </summary>
    [Fact]
    public void FiveThousandMutatedTorrentsParseConsistentlyOrFailWithATypedError()
    {
        var seeds = new[]
        {
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(100_000), 16 * 1024, 1 << 20), TorrentFormat.Hybrid, "f"u8, new TorrentOptions { AnnounceList = [["http://t/"]], UrlList = ["http://w/"] }),
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(40_000), 16 * 1024, 1 << 20), TorrentFormat.V2, "g"u8),
            TorrentBuilder.BuildTorrent(TorrentHasherTests.Hash(TorrentHasherTests.Data(5), 16 * 1024, 1 << 20), TorrentFormat.V1, "h"u8, new TorrentOptions { Announce = "http://t/" }),
        };
        var originals = seeds.Select(seed => TorrentFile.Parse(seed)).ToArray();
        var random = new Random(42);
        var parsed = 0;
        var parsedWithNewInfo = 0;
        var rejected = new HashSet<TorrentFileError>();
        for (var i = 0; i < 5_000; i++)
        {
            var input = (byte[])seeds[i % seeds.Length].Clone();
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(input.Length);
                input[at] = random.Next(2) == 0 ? (byte)random.Next(256) : (byte)"0123456789ilde:-"[random.Next(16)];
            }

            TorrentFile torrent;
            try
            {
                torrent = TorrentFile.Parse(input);
            }
            catch (TorrentFileException error)
            {
                Assert.True(Enum.IsDefined(error.Error), $"mutant {i}: undefined error {error.Error}");
                if (error.Error == TorrentFileError.InvalidBencode)
                {
                    Assert.True(Enum.IsDefined(error.BencodeError) && error.BencodeError != BencodeError.None, $"mutant {i}: bencode error {error.BencodeError}");
                    Assert.InRange(error.Offset, 0, input.Length);
                }

                rejected.Add(error.Error);
                continue;
            }

            parsed++;
            var context = $"mutant {i} of seed {i % seeds.Length}: {Convert.ToHexString(input)}";
            Assert.True(input.AsSpan().SequenceEqual(BencodeWriter.Encode(BencodeReader.Decode(input))), $"does not re-encode to itself: {context}");
            Assert.True(input.AsSpan().IndexOf(torrent.InfoBytes.Span) >= 0, $"info bytes are not a slice of the input: {context}");
            Assert.Equal(torrent.Format != TorrentFormat.V2, torrent.InfoHashes.HasV1);
            Assert.Equal(torrent.Format != TorrentFormat.V1, torrent.InfoHashes.HasV2);
            if (torrent.InfoHashes.HasV1)
            {
                Assert.Equal(SHA1.HashData(torrent.InfoBytes.Span), torrent.InfoHashes.V1.ToArray());
                Assert.Equal(torrent.PieceCount * 20, torrent.Sha1Pieces.Length);
            }

            if (torrent.InfoHashes.HasV2)
            {
                Assert.Equal(SHA256.HashData(torrent.InfoBytes.Span), torrent.InfoHashes.V2.ToArray());
                Assert.Equal(32, torrent.PiecesRoot.Length);
            }

            var original = originals[i % seeds.Length];
            var sameInfo = torrent.InfoBytes.Span.SequenceEqual(original.InfoBytes.Span);
            Assert.True(sameInfo == (torrent.InfoHashes.V1Hex == original.InfoHashes.V1Hex && torrent.InfoHashes.V2Hex == original.InfoHashes.V2Hex),
                $"info-hashes {(sameInfo ? "changed with the same info bytes" : "unchanged with other info bytes")}: {context}");
            parsedWithNewInfo += sameInfo ? 0 : 1;
        }

        // The mutants reach both outcomes, and more than one kind of rejection: otherwise this checked little.
        Assert.InRange(parsed, 1, 4_999);
        Assert.True(parsedWithNewInfo > 0, "no mutant of the info dictionary parsed");
        Assert.True(rejected.Count >= 3, $"rejections: {string.Join(", ", rejected)}");
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
