using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class TorrentFactsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(32 * 1024)]
    [InlineData(100_000)]
    public void SerializeThenDeserializeGivesEqualFacts(int size)
    {
        var facts = TorrentHasherTests.Hash(TorrentHasherTests.Data(size), 32 * 1024, 4096);
        var bytes = facts.Serialize();
        Assert.Equal(TorrentFacts.SerializationVersion, bytes[0]);
        Assert.Equal(49 + (facts.PieceCount * 20) + facts.PieceLayer.Length, bytes.Length);
        var back = TorrentFacts.Deserialize(bytes);
        Assert.Equal(facts.Length, back.Length);
        Assert.Equal(facts.PieceLength, back.PieceLength);
        Assert.Equal(facts.Sha1Pieces.ToArray(), back.Sha1Pieces.ToArray());
        Assert.Equal(facts.PieceLayer.ToArray(), back.PieceLayer.ToArray());
        Assert.Equal(facts.PiecesRoot.ToArray(), back.PiecesRoot.ToArray());
        Assert.Equal(bytes, back.Serialize());
    }

    [Fact]
    public void SerializedLayoutIsVersionLengthPieceLengthRootSha1Layer()
    {
        var facts = new TorrentFacts(1, 16 * 1024, new byte[20], [], Enumerable.Repeat((byte)0xAB, 32).ToArray());
        var expected = Convert.FromHexString(
            "01" + "0100000000000000" + "0040000000000000" + string.Concat(Enumerable.Repeat("AB", 32)) + new string('0', 40));
        Assert.Equal(expected, facts.Serialize());
    }

    [Fact]
    public void DeserializeRejectsUnknownVersionAndWrongSizes()
    {
        var bytes = TorrentHasherTests.Hash(TorrentHasherTests.Data(70_000), 32 * 1024, 70_000).Serialize();
        var wrongVersion = (byte[])bytes.Clone();
        wrongVersion[0] = 2;
        Assert.Throws<FormatException>(() => TorrentFacts.Deserialize(wrongVersion));
        Assert.Throws<FormatException>(() => TorrentFacts.Deserialize(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<FormatException>(() => TorrentFacts.Deserialize([.. bytes, 0]));
        Assert.Throws<FormatException>(() => TorrentFacts.Deserialize(bytes.AsSpan(0, 10)));
        var badPieceLength = (byte[])bytes.Clone();
        badPieceLength[9] = 1;
        Assert.Throws<FormatException>(() => TorrentFacts.Deserialize(badPieceLength));
    }

    [Fact]
    public void ConstructorRejectsHashesOfTheWrongSize()
        => Assert.Throws<ArgumentException>(() => new TorrentFacts(100_000, 32 * 1024, new byte[20], [], new byte[32]));
}
