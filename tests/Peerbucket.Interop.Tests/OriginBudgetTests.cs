using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The origin budget (<c>--origin-budget</c>): the seeder and the web seed together send no faster than it, and a
/// real client with the default torrent still finishes with the right bytes (it keeps a slowed web seed); S3 GETs do
/// not count against it.
/// </summary>
public sealed class OriginBudgetTests(ITestOutputHelper output) : IDisposable
{
    private const int Size = 16 * Files.MiB;
    private const long Budget = 2_000_000;
    private readonly TempDirectory temp = new("pb-budget");

    public void Dispose() => temp.Dispose();

    [RequiresToolFact("/usr/bin/python3:libtorrent", "curl")]
    public async Task ALoneClientFinishesWithinTheOriginBudgetWhileS3GetsAreNotHeldToIt()
    {
        await using var server = await PeerbucketServer.LaunchAsync(new ServerLaunch
        {
            Arguments = ["--tracker-port", "0", "--peer-port", "0", "--piece-length", "262144", "--origin-budget", "2M"],
        });
        var client = server.CreateClient();
        var bucket = $"budget-{Environment.ProcessId}";
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, seed: 61);
        const string key = "budget.bin";
        await Torrents.PutPublicAsync(client, bucket, key, data);
        var (torrent, _) = await Torrents.FetchAsync(server, bucket, key, temp.Path);

        var save = temp.Combine("lt");
        Directory.CreateDirectory(save);
        var download = Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("download.py"), torrent, save, "--keep-trackers", "--web-seeds", "--timeout", "90"], timeout: TimeSpan.FromSeconds(120));

        // While the budget is spent on the swarm, a plain S3 GET of the same object is not slowed by it.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        Assert.Equal(200, await Curl.GetAsync($"{server.Endpoint}/{bucket}/{key}", temp.Combine("s3.bin")));
        var s3Seconds = clock.Elapsed.TotalSeconds;
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(temp.Combine("s3.bin"))));

        var result = await download;
        Assert.True(result.ExitCode == 0, $"libtorrent did not finish:\n{result.Stdout}\n{result.Stderr}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
        var seconds = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.GetProperty("seconds").GetDouble();
        var swarmBytes = await OriginMetrics.BytesAsync(server, bucket, key, "seeder") + await OriginMetrics.BytesAsync(server, bucket, key, "web_seed");
        output.WriteLine($"16 MiB under a 2 MB/s budget: {seconds:F1} s ({swarmBytes / seconds / 1e6:F2} MB/s from the origin); S3 GET meanwhile {s3Seconds:F2} s");

        // At most one second of burst above the rate: 16.8 MB at 2 MB/s takes at least 7.4 s.
        Assert.True(seconds >= ((Size - Budget) / (double)Budget) - 0.5, $"16 MiB arrived in {seconds:F1} s, faster than a 2 MB/s budget allows");
        // Measured 1.16 copies: when everything is requested, libtorrent's end game asks the seeder for blocks the slowed
        // web-seed stream is still sending (unbudgeted, the stream is done first and a lone client costs 1.0).
        Assert.True(swarmBytes >= Size && swarmBytes <= 1.25 * Size, $"origin sent {swarmBytes / (double)Size:F3} copies: {await OriginMetrics.LinesAsync(server, bucket, key)}");
        Assert.True(s3Seconds < 4, $"an S3 GET of 16 MiB took {s3Seconds:F1} s beside a budgeted swarm: it is not theirs to share");
    }
}
