using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentHasherTests
{
    private const int K16 = 16 * 1024;
    private const int K32 = 32 * 1024;

    public static TheoryData<int, int> EdgeSizes => new()
    {
        { 1, K16 },
        { K16 - 1, K16 },
        { K16, K16 },
        { K16 + 1, K16 },
        { 1, K32 },
        { K16 - 1, K32 },
        { K16, K32 },
        { K16 + 1, K32 },
        { K32 - 1, K32 },
        { K32, K32 },
        { K32 + 1, K32 },
        { K32 + K16, K32 },
        { 2 * K32, K32 },
        { 3 * K32, K32 },
        { (3 * K32) + 5, K32 },
        { (4 * K32) + K16, K32 },
        { (5 * K32) + K16 + 1, K32 },
        { 1_000_000, 64 * 1024 },
        { 1 << 20, 64 * 1024 },
    };

    internal static byte[] Data(int size, int seed = 7)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }

    internal static TorrentFacts Hash(ReadOnlySpan<byte> data, long pieceLength, int chunk, TorrentFormat hashes = TorrentFormat.Hybrid)
    {
        using var hasher = new TorrentHasher(pieceLength, hashes);
        while (!data.IsEmpty)
        {
            var take = Math.Min(chunk, data.Length);
            hasher.Append(data[..take]);
            data = data[take..];
        }

        return hasher.Finish();
    }

    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public void MatchesNaiveReferenceAtEdgeSizes(int size, int pieceLength)
    {
        var data = Data(size);
        var facts = Hash(data, pieceLength, 1 << 20);
        var (root, layer) = NaiveBep52.Compute(data, pieceLength);
        Assert.Equal(size, facts.Length);
        Assert.Equal(pieceLength, facts.PieceLength);
        Assert.Equal((size + pieceLength - 1) / pieceLength, facts.PieceCount);
        Assert.Equal(NaiveBep52.Sha1Pieces(data, pieceLength), facts.Sha1Pieces.ToArray());
        Assert.Equal(Convert.ToHexString(root), Convert.ToHexString(facts.PiecesRoot.Span));
        Assert.Equal(Convert.ToHexString(layer), Convert.ToHexString(facts.PieceLayer.Span));
    }

    [Fact]
    public void PieceLayerIsEmptyUpToOnePieceAndPresentBeyond()
    {
        Assert.True(Hash(Data(K32), K32, K32).PieceLayer.IsEmpty);
        Assert.Equal(64, Hash(Data(K32 + 1), K32, K32).PieceLayer.Length);
    }

    [Fact]
    public void ExactlyOnePieceHasThePieceRootAsPiecesRoot()
    {
        var data = Data(K32);
        var (root, _) = NaiveBep52.Compute(data, K32);
        Assert.Equal(root, Hash(data, K32, 100).PiecesRoot.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(K16 - 1)]
    [InlineData(K16 + 3)]
    [InlineData(1 << 20)]
    public void ResultDoesNotDependOnChunking(int chunk)
    {
        var data = Data((5 * K32) + 12345, seed: 11);
        var expected = Hash(data, K32, data.Length);
        var actual = Hash(data, K32, chunk);
        Assert.Equal(expected.Serialize(), actual.Serialize());
    }

    [Theory]
    [MemberData(nameof(EdgeSizes))]
    public void HashingForOneFormatGivesExactlyThatFormatsHashes(int size, int pieceLength)
    {
        var data = Data(size, seed: 13);
        var both = Hash(data, pieceLength, 7919);
        var v1 = Hash(data, pieceLength, 7919, TorrentFormat.V1);
        var v2 = Hash(data, pieceLength, 7919, TorrentFormat.V2);
        Assert.True(both.HasV1 && both.HasV2);
        Assert.True(v1.HasV1 && !v1.HasV2);
        Assert.True(!v2.HasV1 && v2.HasV2);
        Assert.Equal(both.PieceCount, v1.PieceCount);
        Assert.Equal(both.PieceCount, v2.PieceCount);
        Assert.Equal(both.Sha1Pieces.ToArray(), v1.Sha1Pieces.ToArray());
        Assert.True(v1.PieceLayer.IsEmpty && v1.PiecesRoot.IsEmpty);
        Assert.True(v2.Sha1Pieces.IsEmpty);
        Assert.Equal(both.PieceLayer.ToArray(), v2.PieceLayer.ToArray());
        Assert.Equal(both.PiecesRoot.ToArray(), v2.PiecesRoot.ToArray());
    }

    [Fact]
    public void FactsOfOneFormatBuildThatFormatsIdenticalInfoButNoOtherAndAreNotStored()
    {
        var data = Data((5 * K32) + 77, seed: 17);
        var both = Hash(data, K32, 1 << 20);
        var v1 = Hash(data, K32, 1 << 20, TorrentFormat.V1);
        var v2 = Hash(data, K32, 1 << 20, TorrentFormat.V2);
        Assert.Equal(TorrentBuilder.BuildTorrent(both, TorrentFormat.V1, "f"u8), TorrentBuilder.BuildTorrent(v1, TorrentFormat.V1, "f"u8));
        Assert.Equal(TorrentBuilder.BuildTorrent(both, TorrentFormat.V2, "f"u8), TorrentBuilder.BuildTorrent(v2, TorrentFormat.V2, "f"u8));
        Assert.Throws<ArgumentException>(() => TorrentBuilder.BuildInfo("f"u8, v1, TorrentFormat.V2));
        Assert.Throws<ArgumentException>(() => TorrentBuilder.BuildInfo("f"u8, v1, TorrentFormat.Hybrid));
        Assert.Throws<ArgumentException>(() => TorrentBuilder.BuildInfo("f"u8, v2, TorrentFormat.V1));
        Assert.Throws<InvalidOperationException>(() => v1.Serialize());
        Assert.Throws<InvalidOperationException>(() => v2.Serialize());
    }

    [Fact]
    public void RandomChunkingGivesTheSameResult()
    {
        var data = Data(3_000_000, seed: 3);
        var expected = Hash(data, 128 * 1024, 1 << 20);
        var random = new Random(5);
        using var hasher = new TorrentHasher(128 * 1024);
        var offset = 0;
        while (offset < data.Length)
        {
            var take = Math.Min(random.Next(1, 200_000), data.Length - offset);
            hasher.Append(data.AsSpan(offset, take));
            offset += take;
        }

        Assert.Equal(expected.Serialize(), hasher.Finish().Serialize());
    }

    [Fact]
    public void EmptyFileHasNoPieces()
    {
        var facts = Hash([], K16, 1);
        Assert.Equal(0, facts.Length);
        Assert.Equal(0, facts.PieceCount);
        Assert.True(facts.Sha1Pieces.IsEmpty);
        Assert.True(facts.PieceLayer.IsEmpty);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8 * 1024)]
    [InlineData(48 * 1024)]
    [InlineData(512L * 1024 * 1024)]
    public void RejectsPieceLengthThatIsNotAPowerOfTwoInRange(long pieceLength)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new TorrentHasher(pieceLength));

    [Fact]
    public void CannotBeUsedAfterFinish()
    {
        using var hasher = new TorrentHasher(K16);
        hasher.Append([1, 2, 3]);
        hasher.Finish();
        Assert.Throws<ObjectDisposedException>(() => hasher.Append([4]));
        Assert.Throws<ObjectDisposedException>(() => hasher.Finish());
    }
}
