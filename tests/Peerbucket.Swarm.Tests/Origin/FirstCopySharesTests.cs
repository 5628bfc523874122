using Microsoft.Extensions.Time.Testing;
using Peerbucket.Swarm.Origin;

namespace Peerbucket.Swarm.Tests.Origin;

public sealed class FirstCopySharesTests
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void ADownloaderMayHoldItsShareOfTheFirstCopies()
    {
        var shares = new FirstCopyShares(time);
        for (var i = 0; i < 63; i++)
        {
            shares.Took("10.0.0.1");
        }

        // 256 pieces, 4 downloaders: a share of 64.
        Assert.False(shares.WouldExceed("10.0.0.1", 1, 256, 4));
        Assert.True(shares.WouldExceed("10.0.0.1", 2, 256, 4));
        Assert.False(shares.WouldExceed("10.0.0.2", 64, 256, 4));
        Assert.True(shares.WouldExceed("10.0.0.2", 65, 256, 4)); // a 16 MiB web-seed range at once is counted whole
        Assert.False(shares.WouldExceed("10.0.0.1", 200, 256, 1)); // alone: everything is its share
        Assert.True(shares.WouldExceed("10.0.0.1", 2, 255, 4)); // 255 over 4 rounds up to 64
    }

    [Fact]
    public void TheShareIsLiftedWhenNobodyTookAFirstCopyForALull()
    {
        var shares = new FirstCopyShares(time);
        for (var i = 0; i < 64; i++)
        {
            shares.Took("10.0.0.1");
        }

        Assert.True(shares.WouldExceed("10.0.0.1", 1, 256, 4));
        time.Advance(FirstCopyShares.Lull - TimeSpan.FromMilliseconds(1));
        Assert.True(shares.WouldExceed("10.0.0.1", 1, 256, 4));
        time.Advance(TimeSpan.FromMilliseconds(1)); // the others are not taking theirs (counted too high, or gone)
        Assert.False(shares.WouldExceed("10.0.0.1", 1, 256, 4));
        shares.Took("10.0.0.2");
        Assert.True(shares.WouldExceed("10.0.0.1", 1, 256, 4)); // somebody is taking them again
    }
}
