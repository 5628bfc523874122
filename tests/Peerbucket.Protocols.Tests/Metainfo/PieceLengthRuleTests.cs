using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.Tests.Metainfo;

public sealed class PieceLengthRuleTests
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;
    private const long TiB = 1024 * GiB;

    [Theory]
    [InlineData(0, 16 * KiB)]
    [InlineData(1, 16 * KiB)]
    [InlineData(2000 * 16 * KiB, 16 * KiB)]
    [InlineData((2000 * 16 * KiB) + 1, 32 * KiB)]
    [InlineData(32 * MiB, 32 * KiB)]
    [InlineData(GiB, MiB)]
    [InlineData(32 * GiB, 16 * MiB)]
    [InlineData(5 * TiB, 16 * MiB)]
    public void ChoosesSmallestPowerOfTwoAtLeastOneTwoThousandthClamped(long size, long expected)
        => Assert.Equal(expected, PieceLengthRule.Choose(size));

    [Fact]
    public void KeepsPieceCountBetweenOneAndTwoThousandInTheMiddleRange()
    {
        for (var size = (2000 * 16 * KiB) + 1; size <= 2000 * 16 * MiB; size = (size * 13 / 10) + 7)
        {
            var pieces = PieceLengthRule.PieceCount(size, PieceLengthRule.Choose(size));
            Assert.InRange(pieces, 1001, 2000);
        }
    }

    [Fact]
    public void NeverExceedsTheBep52PieceLimitUpToS3MaximumObjectSize()
    {
        for (long size = 1; size <= 5 * TiB; size = (size * 3) + 1)
        {
            var pieceLength = PieceLengthRule.Choose(size);
            Assert.True(PieceLengthRule.IsValid(pieceLength));
            Assert.True(PieceLengthRule.PieceCount(size, pieceLength) <= 2_097_152);
        }

        Assert.Equal(327_680, PieceLengthRule.PieceCount(5 * TiB, PieceLengthRule.Choose(5 * TiB)));
    }

    [Fact]
    public void PieceCountDoesNotOverflowForTheLargestLength()
        => Assert.Equal((long.MaxValue / (16 * KiB)) + 1, PieceLengthRule.PieceCount(long.MaxValue, 16 * KiB));
}
