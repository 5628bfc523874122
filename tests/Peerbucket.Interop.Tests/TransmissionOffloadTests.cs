using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// Transmission with the store's default torrent (tracker, seeder and web seed all on, policy thrifty). transmission
/// 3.00 never dials peers in 127.0.0.0/8, so, as in <see cref="TransmissionPeerTests"/>, it runs in a network namespace
/// and the server listens on the root end of the veth pair (10.77.N.1); the libtorrent peers of the crowd case listen on
/// more addresses of that end (10.77.N.10, .11, ...), the other hosts of the same LAN as transmission sees it.
/// </summary>
public sealed class TransmissionOffloadTests(ITestOutputHelper output) : IDisposable
{
    private const int Size = 16 * Files.MiB;
    private const string Key = "offload/transmission.bin";
    private readonly TempDirectory temp = new("pb-troffload");

    public void Dispose() => temp.Dispose();

    /// <summary>Alone, transmission gets the whole object from the origin (web seed and seeder) at full speed: one
    /// copy, in a few seconds.</summary>
    [RequiresToolFact("ip", "transmission-cli")]
    public async Task ALoneTransmissionGetsEverythingFromTheOriginAtFullSpeed()
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var server = await LaunchAsync(network);
        var (bucket, data, torrent) = await PublishAsync(server, "troff-lone", 51);

        var clock = Stopwatch.StartNew();
        var download = await Transmission.DownloadAsync(torrent, temp.Combine("tr"), network.InnerAddress, TimeSpan.FromSeconds(90), network.Name);
        var elapsed = clock.Elapsed;
        AssertFinished(download, data, server);
        var sent = await OriginMetrics.BytesAsync(server, bucket, Key);
        output.WriteLine($"lone transmission: {elapsed.TotalSeconds:F1} s, origin {sent / (double)Size:P0} ({await OriginMetrics.LinesAsync(server, bucket, Key)})");
        Assert.True(elapsed < TimeSpan.FromSeconds(30), $"a lone 16 MiB transmission download took {elapsed.TotalSeconds:F1} s");
        Assert.InRange(sent, Size, (long)(1.1 * Size));
    }

    /// <summary>Transmission joins three throttled libtorrent clients on the same LAN: everyone finishes with the right
    /// bytes, transmission included (it keeps the web seed and the seeder through super-seeding), and the origin sends
    /// far less than the four copies of plain HTTP. transmission leaves the moment it is done (its finish script stops
    /// it), so what it took is lost to the swarm.</summary>
    [RequiresToolFact("ip", "transmission-cli", "/usr/bin/python3:libtorrent")]
    public async Task TransmissionInACrowdFinishesWhileTheOriginSendsFarLessThanPlainHttp()
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var server = await LaunchAsync(network);
        var (bucket, data, torrent) = await PublishAsync(server, "troff-crowd", 52);

        var clients = new List<(string Save, Task<ToolResult> Run)>();
        for (var i = 0; i < 3; i++)
        {
            var address = await network.AddHostAddressAsync(10 + i);
            var save = temp.Combine($"lt-{i}");
            clients.Add((save, Torrents.StartLibtorrentPeer(torrent, save, 3_000_000, address.ToString())));
        }

        var download = await Transmission.DownloadAsync(torrent, temp.Combine("tr"), network.InnerAddress, TimeSpan.FromSeconds(150), network.Name);
        AssertFinished(download, data, server);
        var name = Path.GetFileName(Key);
        foreach (var (save, run) in clients)
        {
            var result = await run;
            Assert.True(result.ExitCode == 0, $"libtorrent did not finish:\n{result.Stdout}\n{result.Stderr}");
            Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(save, name))));
            var status = JsonDocument.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
            output.WriteLine($"libtorrent: {status.GetProperty("seconds")} s");
        }

        var sent = await OriginMetrics.BytesAsync(server, bucket, Key);
        output.WriteLine($"crowd of 4: origin {sent / (double)Size:P0} ({await OriginMetrics.LinesAsync(server, bucket, Key)})");
        Assert.True(sent >= Size, $"the origin sent {sent} bytes of a {Size}-byte object: the counters missed something");
        Assert.True(sent <= 2.5 * Size, $"the origin sent {sent / (double)Size:F2} copies to 4 clients: {await OriginMetrics.LinesAsync(server, bucket, Key)}");
    }

    private static Task<PeerbucketServer> LaunchAsync(NetworkNamespace network) => PeerbucketServer.LaunchAsync(new ServerLaunch
    {
        Address = network.HostAddress,
        Environment = RequestLog.Environment,
        Arguments = ["--tracker-port", "0", "--peer-port", "0", "--piece-length", "262144", "--max-upload-rate", "4M"],
    });

    private async Task<(string Bucket, byte[] Data, string Torrent)> PublishAsync(PeerbucketServer server, string prefix, int seed)
    {
        var client = server.CreateClient();
        var bucket = $"{prefix}-{Environment.ProcessId}";
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, seed);
        await Torrents.PutPublicAsync(client, bucket, Key, data);
        var (path, torrent) = await Torrents.FetchAsync(server, bucket, Key, temp.Path);
        Assert.NotEmpty(torrent.UrlList);
        Assert.StartsWith(server.Endpoint + "/", torrent.UrlList[0], StringComparison.Ordinal);
        return (bucket, data, path);
    }

    private static void AssertFinished(Transmission.Download download, byte[] data, PeerbucketServer server)
    {
        Assert.True(download.Finished && download.Result.ExitCode == 0,
            $"transmission did not finish: exit {download.Result.ExitCode}, timed out {download.Result.TimedOut}\n"
            + $"{download.Result.Stderr}\n{ToolResult.Tail(download.Result.Stdout)}\n--- server ---\n{ToolResult.Tail(server.Output)}");
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(download.Directory, Path.GetFileName(Key)))));
    }
}
