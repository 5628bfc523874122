using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The thrifty origin with its default torrent (tracker, seeder and web seed, no client-side changes): a swarm of
/// real clients finishes with the right bytes while the origin sends far fewer than one copy per client, and a lone
/// client still gets everything.
/// </summary>
public sealed class OriginOffloadTests(OffloadServerFixture fixture, ITestOutputHelper output) : IClassFixture<OffloadServerFixture>, IDisposable
{
    private const int Size = 16 * Files.MiB;
    private readonly TempDirectory temp = new("pb-offload");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    /// <summary>Four libtorrent clients (each on its own loopback address, capped at 4 MB/s down, so the swarm has time
    /// to share), an unthrottled aria2 and an unthrottled qBittorrent start together. Under plain HTTP (or the fast
    /// policy) the origin sends six copies; thrifty must send at most 2.5. Measured: about 2 copies. The unthrottled
    /// clients are the reason: whichever arrives before the tracker counts a crowd is alone and gets the web seed at
    /// full speed (a whole 16 MiB copy in well under a second on loopback), and aria2 (--seed-time=0) leaves as soon as
    /// it is done, so what it took is lost to the swarm. The 64 MiB benchmark (bench/09, every client capped) reaches
    /// about one copy.</summary>
    [RequiresToolFact("/usr/bin/python3:libtorrent", "aria2c", "qbittorrent-nox", "curl")]
    public async Task ASwarmOfLibtorrentAria2AndQbittorrentFinishesWhileTheOriginSendsFarLessThanPlainHttp()
    {
        var (bucket, key, data, torrent) = await PublishAsync("offload-swarm", 41);
        var before = await OriginBytesAsync(bucket, key);
        var clients = Enumerable.Range(0, 4)
            .Select(i => (Save: temp.Combine($"lt-{i}"), Run: Torrents.StartLibtorrentPeer(torrent, temp.Combine($"lt-{i}"), 4_000_000, $"127.0.0.{20 + i}")))
            .ToList();
        var aria = temp.Combine("aria2");
        var ariaRun = Tool.RunAsync("aria2c", Aria2.DownloadArguments(aria, torrent, stopTimeoutSeconds: 120), timeout: TimeSpan.FromSeconds(150));
        await using var qbittorrent = await Qbittorrent.StartAsync(temp.Combine("qbt"));
        await qbittorrent.AddAsync(torrent);
        var (qbtProgress, _) = await qbittorrent.WaitForCompletionAsync(TimeSpan.FromSeconds(150));
        Assert.True(qbtProgress == 1.0, $"qbittorrent-nox stopped at progress {qbtProgress}:\n{ToolResult.Tail(qbittorrent.Output)}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(qbittorrent.SaveDirectory, key))));

        foreach (var (save, run) in clients)
        {
            var result = await run;
            Assert.True(result.ExitCode == 0, $"libtorrent did not finish:\n{result.Stdout}\n{result.Stderr}");
            Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
        }

        var ariaResult = await ariaRun;
        Assert.True(ariaResult.ExitCode == 0, $"aria2 did not finish:\n{ToolResult.Tail(ariaResult.Stdout)}\n{ariaResult.Stderr}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(aria, key))));

        var sent = await OriginBytesAsync(bucket, key) - before;
        Assert.True(sent >= Size, $"the origin sent {sent} bytes of a {Size}-byte object: the counters missed something");
        Assert.True(sent <= 2.5 * Size, $"the origin sent {sent / (double)Size:F2} copies to 6 clients (plain HTTP: 6): {await ByPathAsync(bucket, key)}");
    }

    /// <summary>aria2 alone, with the default torrent: the web seed (and the seeder) give it everything at full speed.</summary>
    [RequiresToolFact("aria2c")]
    public async Task ALoneAria2GetsEverythingFromTheOriginAtFullSpeed()
    {
        var (bucket, key, data, torrent) = await PublishAsync("offload-lone-aria", 44);
        var before = await OriginBytesAsync(bucket, key);
        var save = temp.Combine("aria");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await Tool.RunAsync("aria2c", Aria2.DownloadArguments(save, torrent), timeout: TimeSpan.FromSeconds(90));
        var elapsed = clock.Elapsed;
        Assert.True(result.ExitCode == 0, $"aria2 did not finish:\n{ToolResult.Tail(result.Stdout)}\n{result.Stderr}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"a lone 16 MiB aria2 download took {elapsed.TotalSeconds:F1} s");
        Assert.InRange(await OriginBytesAsync(bucket, key) - before, Size, (long)(1.1 * Size));
    }

    /// <summary>qBittorrent alone, with the default torrent: everything from the origin at full speed.</summary>
    [RequiresToolFact("qbittorrent-nox", "curl")]
    public async Task ALoneQbittorrentGetsEverythingFromTheOriginAtFullSpeed()
    {
        var (bucket, key, data, torrent) = await PublishAsync("offload-lone-qbt", 45);
        var before = await OriginBytesAsync(bucket, key);
        await using var qbittorrent = await Qbittorrent.StartAsync(temp.Combine("qbt-lone"));
        await qbittorrent.AddAsync(torrent);
        var (progress, elapsed) = await qbittorrent.WaitForCompletionAsync(TimeSpan.FromSeconds(90));
        Assert.True(progress == 1.0, $"qbittorrent-nox stopped at progress {progress}:\n{ToolResult.Tail(qbittorrent.Output)}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(qbittorrent.SaveDirectory, key))));
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"a lone 16 MiB qBittorrent download took {elapsed.TotalSeconds:F1} s");
        Assert.InRange(await OriginBytesAsync(bucket, key) - before, Size, (long)(1.1 * Size));
    }

    /// <summary>One client alone: the web seed and the seeder give it everything, at once.</summary>
    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task ALoneClientGetsEverythingFromTheOrigin()
    {
        var (bucket, key, data, torrent) = await PublishAsync("offload-lone", 43);
        var before = await OriginBytesAsync(bucket, key);
        var save = temp.Combine("lone");
        Directory.CreateDirectory(save);
        var result = await Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("download.py"), torrent, save, "--keep-trackers", "--web-seeds", "--timeout", "60"], timeout: TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, $"libtorrent did not finish:\n{result.Stdout}\n{result.Stderr}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
        var status = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.True(status.GetProperty("seconds").GetDouble() < 30, $"a lone 16 MiB download took {status.GetProperty("seconds")} s");
        var sent = await OriginBytesAsync(bucket, key) - before;
        Assert.InRange(sent, Size, (long)(1.1 * Size));
    }

    /// <summary>The aws cli downloads the object in 1 MiB ranges (16 ranged GETs over its 10 threads) while four
    /// throttled libtorrent clients share it: ordinary S3 range GETs are never governed, so every range is answered 206
    /// at once (no 503, no Retry-After), the bytes are right, and it takes about as long as the same download before the
    /// swarm began.</summary>
    [RequiresToolFact("aws", "/usr/bin/python3:libtorrent")]
    public async Task AnAwsCliRangedDownloadDuringASwarmIsNeverHeldBack()
    {
        var (bucket, key, data, torrent) = await PublishAsync("offload-awscli", 45);
        var home = temp.Combine("aws-home");
        Files.Write(Path.Combine(home, ".aws", "config"),
            "[default]\ns3 =\n  multipart_threshold = 1MB\n  multipart_chunksize = 1MB\n"u8.ToArray());
        var alone = await AwsCopyAsync(bucket, key, home, temp.Combine("alone.bin"));
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(temp.Combine("alone.bin"))));
        var rangedBefore = await OriginMetrics.BytesAsync(Server, bucket, key, "range_get");
        var logBefore = Server.Output.Length;

        var clients = Enumerable.Range(0, 4)
            .Select(i => (Save: temp.Combine($"lt-{i}"), Run: Torrents.StartLibtorrentPeer(torrent, temp.Combine($"lt-{i}"), 2_000_000, $"127.0.0.{30 + i}")))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the crowd is counted and super-seeded by now
        var during = await AwsCopyAsync(bucket, key, home, temp.Combine("during.bin"));
        var ranges = RequestLog.Gets(Server.Output[logBefore..], $"/{bucket}/{key}");
        foreach (var (save, run) in clients)
        {
            var result = await run;
            Assert.True(result.ExitCode == 0, $"libtorrent did not finish:\n{result.Stdout}\n{result.Stderr}");
            Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, key))));
        }

        output.WriteLine($"aws s3 cp of 16 MiB in 1 MiB ranges: {alone.TotalSeconds:F2} s alone, {during.TotalSeconds:F2} s during the swarm");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(temp.Combine("during.bin"))));
        Assert.True(ranges.Count >= 16, $"expected 16 ranged GETs in the request log, saw {ranges.Count}");
        Assert.All(ranges, r => Assert.Equal(206, r.Status));
        Assert.Equal(Size, await OriginMetrics.BytesAsync(Server, bucket, key, "range_get") - rangedBefore);
        // Generous (two cores shared with four clients and the server): held-back ranges would take tens of seconds.
        Assert.True(during < (alone * 4) + TimeSpan.FromSeconds(5), $"during the swarm {during.TotalSeconds:F1} s, alone {alone.TotalSeconds:F1} s");
    }

    private async Task<TimeSpan> AwsCopyAsync(string bucket, string key, string home, string target)
    {
        var clock = Stopwatch.StartNew();
        var result = await Tool.RunAsync("aws", ["--endpoint-url", Server.Endpoint, "s3", "cp", $"s3://{bucket}/{key}", target],
            ToolEnvironment.ForS3(Server, home), timeout: TimeSpan.FromSeconds(120));
        result.AssertExitCode(0);
        return clock.Elapsed;
    }

    private async Task<(string Bucket, string Key, byte[] Data, string Torrent)> PublishAsync(string prefix, int seed)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, seed);
        const string key = "crowd.bin";
        await Torrents.PutPublicAsync(client, bucket, key, data);
        var (path, _) = await Torrents.FetchAsync(Server, bucket, key, temp.Path);
        return (bucket, key, data, path);
    }

    private Task<long> OriginBytesAsync(string bucket, string key) => OriginMetrics.BytesAsync(Server, bucket, key);

    private Task<string> ByPathAsync(string bucket, string key) => OriginMetrics.LinesAsync(Server, bucket, key);
}
