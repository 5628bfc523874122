using Peerbucket.Storage.Accounting;

namespace Peerbucket.Storage.Tests.Accounting;

/// <summary>The ledger in the real SQLite file: changes add up, totals are their own row, and a reopened store reads
/// what an earlier one wrote.</summary>
public sealed class LedgerRepositoryTests : IDisposable
{
    private readonly TempStore temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task ChangesAddUpPerObjectAndSurviveReopening()
    {
        var ledger = temp.Store.Ledger;
        Assert.Null(ledger.LoadTotals());
        Assert.Empty(ledger.LoadObjects(10));

        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_000);
        await ledger.AddAsync(new ObjectEgress("ignored", "ignored", 5, 0, 0, 1), [new ObjectEgress("b", "k\u0001é", 5, 0, 0, 1, 40, 1)], t0);
        await ledger.AddAsync(new ObjectEgress("", "", 0, 9, 0, 0, 100, 2),
            [new ObjectEgress("b", "k\u0001é", 0, 9, 0, 0, 60, 1), new ObjectEgress("b", "later", 0, 0, 0, 0, 40, 1)], t0.AddSeconds(5));

        var reopened = new ObjectStore(temp.Directory).Ledger;
        Assert.Equal(new ObjectEgress("", "", 5, 9, 0, 1, 100, 2), reopened.LoadTotals());
        Assert.Equal(
            [new ObjectEgress("b", "k\u0001é", 5, 9, 0, 1, 100, 2), new ObjectEgress("b", "later", 0, 0, 0, 0, 40, 1)],
            reopened.LoadObjects(10).OrderBy(o => o.Key, StringComparer.Ordinal));
        Assert.Single(reopened.LoadObjects(1));
    }

    [Fact]
    public async Task AMeterRestoredFromTheLedgerContinuesItsFigures()
    {
        var meter = new EgressMeter();
        meter.Add("b", "k", EgressPath.Seeder, 1_000);
        meter.AddCompletedDownload("b", "k");
        var (totals, objects) = meter.TakeChanges();
        await temp.Store.Ledger.AddAsync(totals, objects, DateTimeOffset.UtcNow);

        var next = new EgressMeter();
        var store = new ObjectStore(temp.Directory);
        next.Restore(store.Ledger.LoadTotals(), store.Ledger.LoadObjects(next.MaxObjects));
        next.Add("b", "k", EgressPath.Seeder, 24);
        Assert.Equal(1_024, next.For("b", "k", EgressPath.Seeder));
        Assert.Equal(1_024, next.Total(EgressPath.Seeder));
        Assert.Equal(1, next.For("b", "k", LedgerEntry.CompletedDownloads));
        (totals, objects) = next.TakeChanges();
        Assert.Equal(24, Assert.Single(objects).Seeder);
        Assert.Equal(24, totals.Seeder);
    }
}
