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

    [Fact]
    public void CountsWhatTheSwarmReportedBesideTheEgress()
    {
        var meter = new EgressMeter();
        meter.AddPeerDownloaded("b", "k", 1000);
        meter.AddPeerDownloaded("b", "k", -5);
        meter.AddCompletedDownload("b", "k");
        meter.AddCompletedDownload("b", "k");
        meter.Add("b", "k", EgressPath.Seeder, 300);

        Assert.Equal(1000, meter.For("b", "k", LedgerEntry.PeerDownloaded));
        Assert.Equal(2, meter.Total(LedgerEntry.CompletedDownloads));
        var row = Assert.Single(meter.Snapshot());
        Assert.Equal(new ObjectEgress("b", "k", 300, 0, 0, 0, PeerDownloaded: 1000, CompletedDownloads: 2), row);
        Assert.Equal(300, row.TorrentEgress);
    }

    [Fact]
    public void TakeChangesHandsOutOnlyWhatWasAddedSinceTheLastTake()
    {
        var meter = new EgressMeter();
        meter.Restore(new ObjectEgress("", "", 10, 0, 0, 0, CompletedDownloads: 1), [new ObjectEgress("b", "old", 10, 0, 0, 0, CompletedDownloads: 1)]);
        Assert.Equal(10, meter.For("b", "old", EgressPath.Seeder));
        Assert.Equal(10, meter.Total(EgressPath.Seeder));

        var (totals, objects) = meter.TakeChanges();
        Assert.Empty(objects);
        Assert.Equal(new ObjectEgress("", "", 0, 0, 0, 0), totals);

        meter.Add("b", "old", EgressPath.WebSeed, 7);
        meter.Add("b", "new", EgressPath.PlainGet, 3);
        meter.AddCompletedDownload("b", "new");
        (totals, objects) = meter.TakeChanges();
        Assert.Equal(new ObjectEgress("", "", 0, 7, 0, 3, CompletedDownloads: 1), totals);
        Assert.Equal(
            [new ObjectEgress("b", "new", 0, 0, 0, 3, CompletedDownloads: 1), new ObjectEgress("b", "old", 0, 7, 0, 0)],
            objects.OrderBy(o => o.Key, StringComparer.Ordinal));
        Assert.Empty(meter.TakeChanges().Objects);
        Assert.Equal(17, meter.For("b", "old", LedgerEntry.Seeder) + meter.For("b", "old", LedgerEntry.WebSeed));
    }

    [Fact]
    public void RestoreKeepsAtMostTheLimitOfObjects()
    {
        var meter = new EgressMeter(maxObjects: 1);
        meter.Restore(null, [new ObjectEgress("b", "1", 1, 0, 0, 0), new ObjectEgress("b", "2", 2, 0, 0, 0)]);
        Assert.Equal(1, meter.For("b", "1", EgressPath.Seeder));
        Assert.Equal(0, meter.For("b", "2", EgressPath.Seeder));
    }
}
