using Peerbucket.Storage.Accounting;


namespace Peerbucket.Storage.Tests.Accounting;

public sealed class EgressMeterTests
{
    [Fact]
    public void CountsPerObjectAndInTotalByPath()
    {
        var meter = new EgressMeter();
        meter.Add("b", "k", EgressPath.Seeder, 16384);
        meter.Add("b", "k", EgressPath.Seeder, 100);
        meter.Add("b", "k", EgressPath.RangeGet, 7);
        meter.Add("b", "k", EgressPath.WebSeed, 11);
        meter.Add("b", "other", EgressPath.PlainGet, 5);
        meter.Add("b", "k", EgressPath.PlainGet, 0);

        Assert.Equal(16484, meter.For("b", "k", EgressPath.Seeder));
        Assert.Equal(7, meter.For("b", "k", EgressPath.RangeGet));
        Assert.Equal(0, meter.For("b", "k", EgressPath.PlainGet));
        Assert.Equal(16484, meter.Total(EgressPath.Seeder));
        Assert.Equal(5, meter.Total(EgressPath.PlainGet));
        Assert.Equal(
            [new ObjectEgress("b", "k", 16484, 11, 7, 0), new ObjectEgress("b", "other", 0, 0, 0, 5)],
            meter.Snapshot());
        Assert.Equal(11, meter.Snapshot()[0][EgressPath.WebSeed]);
    }

    [Fact]
    public void BucketAndKeyAreOnePairNotAJoinedString()
    {
        var meter = new EgressMeter();
        meter.Add("a", "b/c", EgressPath.PlainGet, 1);
        meter.Add("a/b", "c", EgressPath.PlainGet, 2);
        Assert.Equal(1, meter.For("a", "b/c", EgressPath.PlainGet));
        Assert.Equal(2, meter.For("a/b", "c", EgressPath.PlainGet));
    }

    [Fact]
    public void ObjectsPastTheLimitCountOnlyInTheTotals()
    {
        var meter = new EgressMeter(maxObjects: 2);
        meter.Add("b", "1", EgressPath.Seeder, 10);
        meter.Add("b", "2", EgressPath.Seeder, 20);
        meter.Add("b", "3", EgressPath.Seeder, 40);
        meter.Add("b", "1", EgressPath.Seeder, 1);

        Assert.Equal(2, meter.Snapshot().Count);
        Assert.Equal(0, meter.For("b", "3", EgressPath.Seeder));
        Assert.Equal(40, meter.UntrackedBytes);
        Assert.Equal(71, meter.Total(EgressPath.Seeder));
        Assert.Equal(11, meter.For("b", "1", EgressPath.Seeder));
    }

    [Fact]
    public async Task ConcurrentAddsAreNotLost()
    {
        var meter = new EgressMeter();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                meter.Add("b", "k", EgressPath.RangeGet, 3);
            }
        })));
        Assert.Equal(240_000, meter.For("b", "k", EgressPath.RangeGet));
        Assert.Equal(240_000, meter.Total(EgressPath.RangeGet));
    }
}
