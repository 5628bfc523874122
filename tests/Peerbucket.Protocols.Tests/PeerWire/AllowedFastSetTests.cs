using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Protocols.Tests.PeerWire;

/// <summary>BEP 6's own example: 1313 pieces, info-hash 0xAA×20, peer 80.4.4.200.</summary>
public sealed class AllowedFastSetTests
{
    private static readonly byte[] Address = [80, 4, 4, 200];
    private static readonly byte[] InfoHash = Enumerable.Repeat((byte)0xAA, 20).ToArray();

    [Fact]
    public void SevenPiecesMatchTheBepExample() =>
        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188], AllowedFastSet.Compute(Address, InfoHash, 1313, 7));

    [Fact]
    public void NinePiecesMatchTheBepExample() =>
        Assert.Equal([1059, 431, 808, 1217, 287, 376, 1188, 353, 508], AllowedFastSet.Compute(Address, InfoHash, 1313, 9));

    [Fact]
    public void TheLastOctetDoesNotMatter() =>
        Assert.Equal(AllowedFastSet.Compute(Address, InfoHash, 1313, 9), AllowedFastSet.Compute([80, 4, 4, 1], InfoHash, 1313, 9));

    [Fact]
    public void ASmallTorrentAllowsEveryPiece() =>
        Assert.Equal([0, 1, 2, 3], AllowedFastSet.Compute(Address, InfoHash, 4, 10));

    [Fact]
    public void NothingWhenAskedForNothing()
    {
        Assert.Empty(AllowedFastSet.Compute(Address, InfoHash, 1313, 0));
        Assert.Empty(AllowedFastSet.Compute(Address, InfoHash, 0, 10));
    }

    [Fact]
    public void ASetAsLargeAsThePiecesLessOneStillEnds()
    {
        var set = AllowedFastSet.Compute(Address, InfoHash, 12, 11);
        Assert.Equal(11, set.Distinct().Count());
        Assert.All(set, index => Assert.InRange(index, 0, 11));
    }
}
