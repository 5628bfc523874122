namespace Peerbucket.Interop.Tests;

/// <summary>
/// Issue 4 with the daemons: qbittorrent-nox and rtorrent announce to the store's tracker, get the store's seeder
/// back, and download from it (web seeds stripped, DHT/PEX/LSD/UPnP off).
/// </summary>
public sealed class TrackerClientTests(TorrentServerFixture fixture) : IClassFixture<TorrentServerFixture>, IDisposable
{
    private readonly TempDirectory temp = new("pb-trkclient");

    public void Dispose() => temp.Dispose();

    private async Task<(string Torrent, byte[] Data)> PublishAsync(string prefix)
    {
        var client = fixture.Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes((2 * Files.MiB) + 4321, seed: prefix.Aggregate(23, (h, c) => unchecked((h * 31) + c)));
        await Torrents.PutPublicAsync(client, bucket, "daemon.bin", data);
        var (path, _) = await Torrents.FetchAsync(fixture.Server, bucket, "daemon.bin", temp.Path);
        var stripped = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped]);
        return (stripped, data);
    }

    [RequiresToolFact("qbittorrent-nox", "curl", "/usr/bin/python3:libtorrent")]
    public async Task QbittorrentAnnouncesAndDownloadsFromTheStoresSeeder()
    {
        var (torrent, data) = await PublishAsync("trk-qbt");
        await using var qbittorrent = await Qbittorrent.StartAsync(temp.Combine("qbt"));
        await qbittorrent.AddAsync(torrent);
        var (progress, _) = await qbittorrent.WaitForCompletionAsync(TimeSpan.FromSeconds(90));
        Assert.True(progress == 1.0, $"qbittorrent-nox stopped at progress {progress}:\n{ToolResult.Tail(qbittorrent.Output)}");
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(qbittorrent.SaveDirectory, "daemon.bin")));
    }

    [RequiresToolFact("rtorrent", "/usr/bin/python3:libtorrent")]
    public async Task RtorrentAnnouncesAndDownloadsFromTheStoresSeeder()
    {
        var (torrent, data) = await PublishAsync("trk-rtorrent");
        var save = temp.Combine("rt-save");
        var session = temp.Combine("rt-session");
        Directory.CreateDirectory(save);
        Directory.CreateDirectory(session);
        var done = temp.Combine("rt-DONE");
        // rtorrent binds the first free port it tries in the range (from a random start): nothing to probe.
        var rc = Files.Write(temp.Combine("rtorrent.rc"), System.Text.Encoding.UTF8.GetBytes($"""
            directory.default.set = {save}
            session.path.set = {session}
            network.port_range.set = 20000-60000
            network.port_random.set = yes
            network.bind_address.set = 127.0.0.3
            network.local_address.set = 127.0.0.3
            dht.mode.set = disable
            protocol.pex.set = no
            trackers.use_udp.set = no
            system.daemon.set = true
            method.set_key = event.download.finished, notify_done, "execute.nothrow=touch,{done}"
            """));
        await using var rtorrent = ToolProcess.Start("rtorrent", ["-n", "-o", $"import={rc}", torrent]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(85);
        while (DateTime.UtcNow < deadline && !File.Exists(done) && !rtorrent.HasExited)
        {
            await Task.Delay(500);
        }

        var finished = File.Exists(done);
        await rtorrent.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(finished, $"rtorrent did not finish:\n{ToolResult.Tail(rtorrent.Output)}");
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(save, "daemon.bin")));
    }
}
