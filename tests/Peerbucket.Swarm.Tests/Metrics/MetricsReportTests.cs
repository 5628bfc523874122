using Peerbucket.Storage;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Metrics;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Metrics;

/// <summary>The /_metrics text, against a real store: public objects named, private ones only in totals.</summary>
public sealed class MetricsReportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pb-metrics-" + Guid.NewGuid().ToString("N"));
    private readonly ObjectStore _store;

    public MetricsReportTests()
    {
        _store = new ObjectStore(_directory);
        _store.Buckets.CreateAsync("b", "us-east-1", CannedAcl.Private, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private void Put(string key, CannedAcl acl)
    {
        var write = new ObjectWrite("b", key, "etag", new ObjectAttributes { Acl = acl }, new Dictionary<string, string>(), null);
        _store.Objects.CommitAsync(write, "blob-" + key, 1, DateTimeOffset.UtcNow).GetAwaiter().GetResult();
    }

    [Fact]
    public void NamesPublicObjectsOnlyAndCountsEveryByteInTheTotals()
    {
        Put("open \"quoted\"\\dir\nline.bin", CannedAcl.PublicRead);
        Put("secret.bin", CannedAcl.Private);
        var meter = new EgressMeter();
        var stats = new SeederStats(meter);
        stats.AddBytesSent("b", "open \"quoted\"\\dir\nline.bin", 16384);
        meter.Add("b", "open \"quoted\"\\dir\nline.bin", EgressPath.RangeGet, 1000);
        meter.Add("b", "secret.bin", EgressPath.PlainGet, 77);
        meter.Add("b", "deleted.bin", EgressPath.PlainGet, 5);

        var text = new MetricsReport(meter, _store, stats).Render();

        Assert.Contains("# TYPE peerbucket_object_egress_bytes_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_object_egress_bytes_total{bucket=\"b\",key=\"open \\\"quoted\\\"\\\\dir\\nline.bin\",via=\"seeder\"} 16384\n", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_object_egress_bytes_total{bucket=\"b\",key=\"open \\\"quoted\\\"\\\\dir\\nline.bin\",via=\"range_get\"} 1000\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret.bin", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted.bin", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_egress_bytes_total{via=\"plain_get\"} 82\n", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_egress_bytes_total{via=\"seeder\"} 16384\n", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_seeder_connections 0\n", text, StringComparison.Ordinal);
        Assert.Contains("peerbucket_seeder_disconnects_total{reason=\"UnknownInfoHash\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EverySampleLineBelongsToADeclaredFamily()
    {
        Put("a.bin", CannedAcl.PublicRead);
        var meter = new EgressMeter();
        meter.Add("b", "a.bin", EgressPath.PlainGet, 3);
        var lines = new MetricsReport(meter, _store, new SeederStats(meter)).Render().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var declared = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();
        foreach (var sample in lines.Where(l => !l.StartsWith('#')))
        {
            var name = sample[..sample.IndexOfAny(['{', ' '])];
            Assert.Contains(name, declared);
            Assert.Matches(@" \d+$", sample);
        }
    }

    [Fact]
    public void ReportsTheProcessMemoryAndTheManagedHeap()
    {
        var text = new MetricsReport(new EgressMeter(), _store).Render();
        var resident = Gauge(text, "process_resident_memory_bytes");
        Assert.InRange(resident, 10L << 20, 64L << 30); // a real figure: this test process holds more than 10 MiB
        Assert.InRange(Gauge(text, "dotnet_gc_heap_size_bytes"), 1, resident);
        Assert.InRange(Gauge(text, "dotnet_gc_committed_bytes"), 0, resident);
    }

    private static long Gauge(string text, string name) =>
        long.Parse(text.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..],
            System.Globalization.CultureInfo.InvariantCulture);
}
