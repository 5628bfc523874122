using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Tests.Origin;

public sealed class FirstCopySharesTests
{
    [Fact]
    public void ADownloaderMayHoldItsShareAndAnEighthOfTheFirstCopies()
    {
        var shares = new FirstCopyShares();
        for (var i = 0; i < 71; i++)
        {
            shares.Took("10.0.0.1");
        }

        // 256 pieces, 4 downloaders: a share of 64, plus 8.
        Assert.False(shares.WouldExceed("10.0.0.1", 1, 256, 4));
        Assert.True(shares.WouldExceed("10.0.0.1", 2, 256, 4));
        Assert.False(shares.WouldExceed("10.0.0.2", 72, 256, 4));
        Assert.True(shares.WouldExceed("10.0.0.2", 73, 256, 4)); // a 16 MiB web-seed range at once is counted whole
        Assert.False(shares.WouldExceed("10.0.0.1", 200, 256, 1)); // alone: everything is its share
    }
}
