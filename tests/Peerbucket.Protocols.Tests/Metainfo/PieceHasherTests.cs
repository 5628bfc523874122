using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class PieceHasherTests
{
    private const int K16 = 16 * 1024;
    private const int K32 = 32 * 1024;

    /// <summary>Hashes every piece of <paramref name="data"/>, last piece first (any order must do).</summary>
    private static TorrentFacts HashBackwards(byte[] data, long pieceLength, TorrentFormat hashes = TorrentFormat.Hybrid)
    {
        var hasher = new PieceHasher(data.Length, pieceLength, hashes);
        for (var i = hasher.PieceCount - 1; i >= 0; i--)
        {
            hasher.HashPiece(i, data.AsSpan((int)hasher.PieceOffset(i), hasher.PieceSize(i)));
        }

        return hasher.Finish();
    }

    [Theory]
    [MemberData(nameof(TorrentHasherTests.EdgeSizes), MemberType = typeof(TorrentHasherTests))]
    public void PiecesHashedInAnyOrderGiveTheStreamingHashersFacts(int size, int pieceLength)
    {
        var data = TorrentHasherTests.Data(size, seed: size);
        var streamed = TorrentHasherTests.Hash(data, pieceLength, 1 << 20);
        Assert.Equal(streamed.Serialize(), HashBackwards(data, pieceLength).Serialize());
        var (root, layer) = NaiveBep52.Compute(data, pieceLength);
        var facts = HashBackwards(data, pieceLength);
        Assert.Equal(root, facts.PiecesRoot.ToArray());
        Assert.Equal(layer, facts.PieceLayer.ToArray());
        Assert.Equal(NaiveBep52.Sha1Pieces(data, pieceLength), facts.Sha1Pieces.ToArray());
    }

    [Theory]
    [InlineData(1_000_003, 64 * 1024)]
    [InlineData(10_000_003, 8 * 1024 * 1024)]
    [InlineData(K32, K32)]
    [InlineData(100, K16)]
    public void PiecesHashedConcurrentlyGiveTheStreamingHashersFacts(int size, int pieceLength)
    {
        var data = TorrentHasherTests.Data(size, seed: 9);
        var hasher = new PieceHasher(data.Length, pieceLength);
        Parallel.For(0, hasher.PieceCount, i => hasher.HashPiece(i, data.AsSpan((int)hasher.PieceOffset(i), hasher.PieceSize(i))));
        Assert.Equal(TorrentHasherTests.Hash(data, pieceLength, 300_001).Serialize(), hasher.Finish().Serialize());
    }

    [Theory]
    [InlineData(TorrentFormat.V1)]
    [InlineData(TorrentFormat.V2)]
    public void OneFormatGivesTheStreamingHashersFactsForThatFormat(TorrentFormat format)
    {
        var data = TorrentHasherTests.Data((3 * K32) + 5, seed: 21);
        var streamed = TorrentHasherTests.Hash(data, K32, 4096, format);
        var pieces = HashBackwards(data, K32, format);
        Assert.Equal(streamed.HasV1, pieces.HasV1);
        Assert.Equal(streamed.HasV2, pieces.HasV2);
        Assert.Equal(TorrentBuilder.BuildTorrent(streamed, format, "f"u8), TorrentBuilder.BuildTorrent(pieces, format, "f"u8));
    }

    [Fact]
    public void AnEmptyFileHasNoPiecesAndTheStreamingHashersFacts()
    {
        var facts = new PieceHasher(0, K16).Finish();
        Assert.Equal(0, facts.PieceCount);
        Assert.Equal(TorrentHasherTests.Hash([], K16, 1).Serialize(), facts.Serialize());
    }

    [Fact]
    public void APieceOfTheWrongSizeOrIndexIsRefused()
    {
        var hasher = new PieceHasher((2 * K16) + 10, K16);
        Assert.Equal(3, hasher.PieceCount);
        Assert.Equal(10, hasher.PieceSize(2));
        Assert.Throws<ArgumentException>(() => hasher.HashPiece(0, new byte[K16 - 1]));
        Assert.Throws<ArgumentException>(() => hasher.HashPiece(2, new byte[K16]));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.HashPiece(3, new byte[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.HashPiece(-1, new byte[10]));
    }

    [Fact]
    public void FinishNeedsEveryPieceAndEndsTheHasher()
    {
        var hasher = new PieceHasher(2 * K16, K16);
        hasher.HashPiece(1, new byte[K16]);
        Assert.Throws<InvalidOperationException>(() => hasher.Finish());
        hasher.HashPiece(0, new byte[K16]);
        hasher.Finish();
        Assert.Throws<ObjectDisposedException>(() => hasher.HashPiece(0, new byte[K16]));
        Assert.Throws<ObjectDisposedException>(() => hasher.Finish());
    }
}
