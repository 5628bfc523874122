using System.Globalization;
using System.Numerics;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.Tests.Metainfo;

namespace Peerbucket.Protocols.Tests.Interop;

public sealed class MktorrentInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [RequiresToolTheory("mktorrent")]
    [InlineData(1, 32 * 1024)]
    [InlineData(32 * 1024, 32 * 1024)]
    [InlineData(100_000, 32 * 1024)]
    [InlineData(1_000_003, 64 * 1024)]
    [InlineData(3 * 1024 * 1024, 1024 * 1024)]
    public async Task V1TorrentHasTheSameInfoHashAsMktorrent(int size, int pieceLength)
    {
        using var dir = new TempDirectory("pb-proto");
        const string name = "sample file é.bin";
        var data = TorrentHasherTests.Data(size, seed: size);
        File.WriteAllBytes(dir.Combine(name), data);
        var log2 = BitOperations.Log2((uint)pieceLength).ToString(CultureInfo.InvariantCulture);
        await Tool.RunCheckedAsync("mktorrent", ["-d", "-l", log2, "-o", dir.Combine("mk.torrent"), dir.Combine(name)], timeout: Timeout);

        var theirs = TorrentFile.Parse(File.ReadAllBytes(dir.Combine("mk.torrent")));
        var facts = TorrentHasherTests.Hash(data, pieceLength, 1 << 20);
        var ours = InfoHashes.Compute(TorrentBuilder.BuildInfo(System.Text.Encoding.UTF8.GetBytes(name), facts, TorrentFormat.V1), TorrentFormat.V1);

        Assert.Equal(TorrentFormat.V1, theirs.Format);
        Assert.Equal(name, theirs.DisplayName);
        Assert.Equal(size, theirs.Length);
        Assert.Equal(pieceLength, theirs.PieceLength);
        Assert.Equal(facts.Sha1Pieces.ToArray(), theirs.Sha1Pieces.ToArray());
        Assert.Equal(theirs.InfoHashes.V1Hex, ours.V1Hex);
    }
}
