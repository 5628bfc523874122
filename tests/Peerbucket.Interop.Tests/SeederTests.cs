using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>Issue "The store seeds": real BitTorrent clients download objects from the store's seeder alone (web
/// seeds stripped), and the bytes match.</summary>
public sealed class SeederTests(TorrentServerFixture fixture) : IClassFixture<TorrentServerFixture>, IDisposable
{
    private const int Size = (5 * 1024 * 1024) + 12345;
    private readonly TempDirectory temp = new("pb-seeder");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    private string Peer => $"127.0.0.1:{fixture.PeerPort}";

    /// <summary>Publishes a public-read multi-piece object and returns its bytes and its .torrent without url-list.</summary>
    private async Task<(string Bucket, byte[] Data, string Torrent)> PublishAsync(string prefix, string format)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, prefix.Aggregate(7, (hash, c) => unchecked((hash * 31) + c)));
        await Torrents.PutPublicAsync(client, bucket, "big.bin", data);
        var (path, _) = await Torrents.FetchAsync(Server, bucket, "big.bin", temp.Path, format);
        var stripped = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped]);
        return (bucket, data, stripped);
    }

    private async Task<JsonElement> LibtorrentDownloadAsync(string source, string save, params string[] extra)
    {
        var result = await Tool.RunAsync(Torrents.Python, [Torrents.ScriptPath("download.py"), source, save, "--timeout", "60", .. extra],
            timeout: TimeSpan.FromSeconds(90));
        var last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(result.ExitCode == 0 && last is not null, $"{result.CommandLine}\n{result.Stdout}\n{result.Stderr}\n{Server.Output}");
        return JsonDocument.Parse(last).RootElement;
    }

    private void AssertDownloaded(string save, byte[] expected, string name = "big.bin")
    {
        var file = Path.Combine(save, name);
        Assert.True(File.Exists(file), $"{file} missing");
        Assert.Equal(Files.Md5Hex(expected), Files.Md5Hex(File.ReadAllBytes(file)));
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public Task LibtorrentDownloadsAV1TorrentFromTheSeederAlone() => LibtorrentDownloadsFromTheSeederAloneAsync("v1");

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public Task LibtorrentDownloadsAHybridTorrentFromTheSeederAlone() => LibtorrentDownloadsFromTheSeederAloneAsync("hybrid");

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public Task LibtorrentDownloadsAV2TorrentFromTheSeederAlone() => LibtorrentDownloadsFromTheSeederAloneAsync("v2");

    private async Task LibtorrentDownloadsFromTheSeederAloneAsync(string format)
    {
        var (_, data, torrent) = await PublishAsync("seed-lt-" + format, format);
        var save = temp.Combine("lt-" + format);
        Directory.CreateDirectory(save);
        var status = await LibtorrentDownloadAsync(torrent, save, "--peer", Peer);
        Assert.True(status.GetProperty("done").GetBoolean());
        AssertDownloaded(save, data);
    }

    /// <summary>Each version is its own torrent: after an overwrite in a versioned bucket, the old version's torrent
    /// (<c>?torrent&amp;versionId=</c>) still downloads, from the seeder alone, with the old bytes.</summary>
    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentDownloadsANoncurrentVersionFromTheSeederAlone()
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("seed-ver");
        await client.PutBucketAsync(bucket);
        await client.PutBucketVersioningAsync(new Amazon.S3.Model.PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new Amazon.S3.Model.S3BucketVersioningConfig { Status = Amazon.S3.VersionStatus.Enabled },
        });
        var old = Files.RandomBytes(Size, 4711);
        await Torrents.PutPublicAsync(client, bucket, "big.bin", old);
        var oldVersion = (await client.GetObjectMetadataAsync(bucket, "big.bin")).VersionId;
        await Torrents.PutPublicAsync(client, bucket, "big.bin", Files.RandomBytes(Size, 4712));

        var path = temp.Combine("old.torrent");
        Assert.Equal(200, await Curl.GetAsync($"{Torrents.ObjectUrl(Server, bucket, "big.bin")}?torrent&versionId={oldVersion}", path));
        var stripped = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped]);
        var save = temp.Combine("lt-old-version");
        Directory.CreateDirectory(save);
        var status = await LibtorrentDownloadAsync(stripped, save, "--peer", Peer);
        Assert.True(status.GetProperty("done").GetBoolean());
        AssertDownloaded(save, old);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentStartsFromTheMagnetAndCompletes()
    {
        var (bucket, data, _) = await PublishAsync("seed-magnet", "v1");
        using var http = new HttpClient();
        var magnet = await http.GetStringAsync(Torrents.ObjectUrl(Server, bucket, "big.bin") + "?magnet");
        Assert.StartsWith("magnet:?", magnet, StringComparison.Ordinal);
        var save = temp.Combine("magnet");
        Directory.CreateDirectory(save);
        var status = await LibtorrentDownloadAsync(magnet.Trim(), save, "--peer", Peer);
        Assert.True(status.GetProperty("done").GetBoolean());
        AssertDownloaded(save, data);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentFindsTheSeederThroughTheTrackerAndCompletes()
    {
        var (_, data, torrent) = await PublishAsync("seed-lt-trk", "v1");
        var save = temp.Combine("lt-trk");
        Directory.CreateDirectory(save);
        var status = await LibtorrentDownloadAsync(torrent, save, "--tracker", $"http://127.0.0.1:{fixture.TrackerPort}/announce");
        Assert.True(status.GetProperty("done").GetBoolean());
        AssertDownloaded(save, data);
    }

    [RequiresToolFact("aria2c", "/usr/bin/python3:libtorrent")]
    public async Task Aria2DownloadsFromTheSeederListedByTheTracker()
    {
        var (_, data, torrent) = await PublishAsync("seed-aria", "v1");
        var save = temp.Combine("aria");
        Directory.CreateDirectory(save);
        var result = await Tool.RunAsync("aria2c",
        Aria2.DownloadArguments(save, torrent), timeout: TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, $"{result.Stdout}\n{result.Stderr}\n{Server.Output}");
        AssertDownloaded(save, data);
    }
}
