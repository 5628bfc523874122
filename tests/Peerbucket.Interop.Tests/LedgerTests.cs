using System.Globalization;
using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The publisher's ledger: a real libtorrent download with the default torrent shows in /_metrics as origin bytes,
/// bytes the peer reported, one completed download and the origin's copies per download — and every figure is still
/// there after a graceful restart, and after kill -9 up to the last write (every 5 s).
/// </summary>
public sealed class LedgerTests : IDisposable
{
    private const int Size = (2 * Files.MiB) + 333;
    private readonly TempDirectory temp = new("pb-ledger");

    public void Dispose() => temp.Dispose();

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task DownloadsAndCompletionsAreCountedPerObjectAndSurviveRestartsAndKill()
    {
        var data = temp.Combine("data");
        Directory.CreateDirectory(data);
        var server = await Start(data);
        const string bucket = "ledger", key = "release.bin";
        string beforeRestart;
        try
        {
            var client = server.CreateClient();
            await client.PutBucketAsync(bucket);
            var bytes = Files.RandomBytes(Size, 77);
            await Torrents.PutPublicAsync(client, bucket, key, bytes);
            var (torrent, _) = await Torrents.FetchAsync(server, bucket, key, temp.Path);
            var save = temp.Combine("lt");
            Directory.CreateDirectory(save);
            var run = await Tool.RunAsync(Torrents.Python,
                [Torrents.ScriptPath("download.py"), torrent, save, "--keep-trackers", "--web-seeds", "--timeout", "60", "--report-completed", "15"],
                timeout: TimeSpan.FromSeconds(90));
            Assert.True(run.ExitCode == 0, $"libtorrent did not finish:\n{run.Stdout}\n{run.Stderr}");
            Assert.Equal(Files.Md5Hex(bytes), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
            Assert.True(JsonDocument.Parse(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement
                .GetProperty("completed_reported").GetBoolean(), $"the tracker never answered the completed announce:\n{run.Stdout}");

            beforeRestart = await MetricsAsync(server);
            Assert.Equal(1, Sample(beforeRestart, "peerbucket_object_completed_downloads_total", bucket, key));
            Assert.Equal(1, Sample(beforeRestart, "peerbucket_completed_downloads_total"));
            Assert.InRange(Sample(beforeRestart, "peerbucket_object_peer_downloaded_bytes_total", bucket, key), Size, 2 * Size);
            var origin = Sample(beforeRestart, "peerbucket_object_egress_bytes_total", bucket, key, "seeder")
                + Sample(beforeRestart, "peerbucket_object_egress_bytes_total", bucket, key, "web_seed");
            Assert.True(origin >= Size, $"the origin sent {origin} bytes of a {Size}-byte object alone to the only client");
            var copies = Gauge(beforeRestart, "peerbucket_object_origin_copies_per_download", bucket, key);
            Assert.Equal((double)origin / Size, copies, 3);
        }
        finally
        {
            Assert.Equal(0, await server.StopAsync());
            await server.DisposeAsync();
        }

        // A graceful restart keeps every figure of the object and the totals.
        server = await Start(data);
        try
        {
            var restarted = await MetricsAsync(server);
            foreach (var family in (string[])["peerbucket_object_completed_downloads_total", "peerbucket_object_peer_downloaded_bytes_total",
                "peerbucket_object_swarm_saved_bytes"])
            {
                Assert.Equal(Sample(beforeRestart, family, bucket, key), Sample(restarted, family, bucket, key));
            }

            foreach (var via in (string[])["seeder", "web_seed", "range_get", "plain_get"])
            {
                Assert.Equal(Sample(beforeRestart, "peerbucket_object_egress_bytes_total", bucket, key, via),
                    Sample(restarted, "peerbucket_object_egress_bytes_total", bucket, key, via));
                Assert.True(Total(restarted, via) >= Sample(restarted, "peerbucket_object_egress_bytes_total", bucket, key, via));
            }

            // kill -9 after the next write: a plain GET made before it is still on the bill.
            using var http = new HttpClient();
            Assert.Equal(Size, (await http.GetByteArrayAsync(Torrents.ObjectUrl(server, bucket, key))).Length);
            await Task.Delay(TimeSpan.FromSeconds(6.5));
            await server.KillAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }

        server = await Start(data);
        try
        {
            var afterKill = await MetricsAsync(server);
            Assert.Equal(Sample(beforeRestart, "peerbucket_object_egress_bytes_total", bucket, key, "plain_get") + Size,
                Sample(afterKill, "peerbucket_object_egress_bytes_total", bucket, key, "plain_get"));
            Assert.Equal(1, Sample(afterKill, "peerbucket_object_completed_downloads_total", bucket, key));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static Task<PeerbucketServer> Start(string data) => PeerbucketServer.LaunchAsync(new ServerLaunch
    {
        DataDirectory = data,
        Arguments = ["--tracker-port", "0", "--peer-port", "0"],
    });

    private static async Task<string> MetricsAsync(PeerbucketServer server)
    {
        using var http = new HttpClient();
        return await http.GetStringAsync($"{server.Endpoint}/_metrics");
    }

    /// <summary>A sample's value by family and labels (in the page's order: bucket, key, via); -1 when absent.</summary>
    private static long Sample(string metrics, string family, string? bucket = null, string? key = null, string? via = null) =>
        Value(metrics, family, bucket, key, via) is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : -1;

    private static double Gauge(string metrics, string family, string bucket, string key) =>
        double.Parse(Value(metrics, family, bucket, key, null) ?? throw new Xunit.Sdk.XunitException($"{family} missing:\n{metrics}"), CultureInfo.InvariantCulture);

    private static string? Value(string metrics, string family, string? bucket, string? key, string? via)
    {
        var labels = new List<string>();
        if (bucket is not null)
        {
            labels.Add($"bucket=\"{bucket}\"");
            labels.Add($"key=\"{key}\"");
        }

        if (via is not null)
        {
            labels.Add($"via=\"{via}\"");
        }

        var prefix = labels.Count == 0 ? family + " " : $"{family}{{{string.Join(',', labels)}}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..];
    }

    private static long Total(string metrics, string via) => Sample(metrics, "peerbucket_egress_bytes_total", via: via);
}
