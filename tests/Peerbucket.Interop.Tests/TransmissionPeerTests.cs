using System.Text.RegularExpressions;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// transmission 3.00 as a peer downloader. It never dials peers in 127.0.0.0/8 or ::1, so a loopback seeder is
/// invisible to it: the test creates a network namespace joined to the root namespace by a veth pair (10.77.N.2 inside,
/// 10.77.N.1 outside), starts its own server in the root namespace listening on 10.77.N.1 only (S3 API, tracker and
/// seeder bind the listen address; torrents then name http://10.77.N.1:TRACKER/announce and the tracker hands out
/// 10.77.N.1:PEER), and runs transmission-cli inside the namespace. The url-list is stripped, DHT/PEX/LPD are off:
/// the only source is the store's seeder, found through the store's tracker.
/// </summary>
public sealed class TransmissionPeerTests : IDisposable
{
    private const int Size = (4 * Files.MiB) + 54321;
    private const string Key = "peer/transmission.bin";
    private readonly TempDirectory temp = new("pb-trpeer");

    public void Dispose() => temp.Dispose();

    [RequiresToolFact("ip", "transmission-cli", "/usr/bin/python3:libtorrent")]
    public async Task TransmissionInANetworkNamespaceDownloadsFromTheSeederFoundThroughTheTracker()
    {
        await using var network = await NetworkNamespace.CreateAsync();
        await using var server = await PeerbucketServer.LaunchAsync(new ServerLaunch
        {
            Address = network.HostAddress,
            Environment = new Dictionary<string, string>(RequestLog.Environment)
            {
                // The seeder logs every closed peer session at Debug.
                ["Logging__LogLevel__Peerbucket.Swarm.Seeder"] = "Debug",
            },
            Arguments = ["--tracker-port", "0", "--peer-port", "0"],
        });

        var client = server.CreateClient();
        var bucket = $"trpeer-{Environment.ProcessId}";
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, seed: 4242);
        await Torrents.PutPublicAsync(client, bucket, Key, data);
        var (path, original) = await Torrents.FetchAsync(server, bucket, Key, temp.Path);
        Assert.Equal($"http://{network.HostAddress}:{server.TrackerPort}/announce", original.Announce);
        var torrent = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, torrent]);
        var stripped = TorrentFile.Parse(File.ReadAllBytes(torrent));
        Assert.Empty(stripped.UrlList);
        Assert.Equal(original.InfoHashes.V1Hex, stripped.InfoHashes.V1Hex);

        var download = await Transmission.DownloadAsync(torrent, temp.Combine("tr"), network.InnerAddress, TimeSpan.FromSeconds(90),
            network.Name);
        Assert.True(download.Finished && download.Result.ExitCode == 0,
            $"transmission did not finish: exit {download.Result.ExitCode}, timed out {download.Result.TimedOut}\n"
            + $"{download.Result.Stderr}\n{Tail(download.Result.Stdout)}\n--- server ---\n{Tail(server.Output)}");
        Assert.Equal(original.InfoHashes.V1Hex, download.InfoHash);
        Assert.Equal(Files.Md5Hex(data), Files.Md5Hex(File.ReadAllBytes(Path.Combine(download.Directory, "transmission.bin"))));

        // No byte of the object left over HTTP, and the seeder served a session from inside the namespace. (transmission
        // puts announce URLs that differ only in scheme into one tier, UDP first: it announces over UDP, which the HTTP
        // request log does not show.)
        Assert.Empty(RequestLog.Gets(server.Output, $"/{bucket}/{Key}"));
        Assert.Equal(0, await server.StopAsync());
        Assert.Matches($@"Peer {Regex.Escape(network.InnerAddress.ToString())}:\d+ closed \({original.InfoHashes.V1Hex}\)", server.Output);
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : "..." + text[^3000..];
}
