using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>Issue 4: the store's own tracker, driven by real clients over HTTP and UDP, and by curl.</summary>
public sealed class TrackerTests(TorrentServerFixture fixture) : IClassFixture<TorrentServerFixture>, IDisposable
{
    private readonly TempDirectory temp = new("pb-tracker");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    private string HttpTracker => $"http://127.0.0.1:{fixture.TrackerPort}/announce";

    private string UdpTracker => $"udp://127.0.0.1:{fixture.TrackerPort}/announce";

    private async Task<(AmazonS3Client Client, string Bucket, string Path, TorrentFile Torrent)> PublishAsync(string prefix, string format = "v1", int size = 300_000)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        // A seed of its own per test: identical bytes and name would share one info-hash (and swarm) across tests.
        var seed = prefix.Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
        await Torrents.PutPublicAsync(client, bucket, "obj.bin", Files.RandomBytes(size, seed));
        var (path, torrent) = await Torrents.FetchAsync(Server, bucket, "obj.bin", temp.Path, format);
        var stripped = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped]);
        return (client, bucket, stripped, torrent);
    }

    /// <summary>The exit status of a process killed by SIGSEGV, as the shell reports it (128 + 11).</summary>
    private const int SegmentationFault = 139;

    private static async Task<List<JsonElement>> LibtorrentAnnounceAsync(string torrent, params string[] trackers)
    {
        var arguments = new List<string> { Torrents.ScriptPath("announce.py"), torrent, "--timeout", "30" };
        foreach (var tracker in trackers)
        {
            arguments.Add("--tracker");
            arguments.Add(tracker);
        }

        var result = await Tool.RunAsync(Torrents.Python, arguments, timeout: TimeSpan.FromSeconds(60));
        if (result.ExitCode == SegmentationFault && result.Stdout.Length == 0)
        {
            // python3-libtorrent 2.0.8 once died of SIGSEGV in a clean-clone run before its session said anything (a
            // crash inside libtorrent, 1 run in many): such a run tells nothing about the tracker, so it runs again, once.
            result = await Tool.RunAsync(Torrents.Python, arguments, timeout: TimeSpan.FromSeconds(60));
        }

        result.AssertExitCode(0);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentAnnouncesOverHttpAndDialsTheStoresSeeder()
    {
        var (_, _, path, torrent) = await PublishAsync("trk-lt-http");
        var events = await LibtorrentAnnounceAsync(path, HttpTracker);
        // The first reply (the seeder may finish the download fast enough for a second, "completed", announce).
        var reply = events.FirstOrDefault(e => e.GetProperty("event").GetString() == "reply");
        Assert.Equal(JsonValueKind.Object, reply.ValueKind);
        Assert.True(reply.GetProperty("num_peers").GetInt32() >= 1, events[0].ToString());
        Assert.DoesNotContain(events, e => e.GetProperty("event").GetString() == "error");
        await LibtorrentDownloadsThroughAsync(path, torrent, HttpTracker);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentAnnouncesOverUdpAndDialsTheStoresSeeder()
    {
        var (_, _, path, torrent) = await PublishAsync("trk-lt-udp");
        var events = await LibtorrentAnnounceAsync(path, UdpTracker);
        // The first reply (the seeder may finish the download fast enough for a second, "completed", announce).
        var reply = events.FirstOrDefault(e => e.GetProperty("event").GetString() == "reply");
        Assert.Equal(JsonValueKind.Object, reply.ValueKind);
        Assert.True(reply.GetProperty("num_peers").GetInt32() >= 1);
        await LibtorrentDownloadsThroughAsync(path, torrent, UdpTracker);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task AHybridTorrentIsAnnouncedUnderItsV1AndTruncatedV2Hash()
    {
        var (_, _, path, torrent) = await PublishAsync("trk-hybrid", "hybrid");
        var events = await LibtorrentAnnounceAsync(path, HttpTracker);
        Assert.DoesNotContain(events, e => e.GetProperty("event").GetString() == "error");
        // One reply per version at least (the seeder may finish the download first: then "completed" announces follow).
        var versions = events.Where(e => e.GetProperty("event").GetString() == "reply").Select(e => e.GetProperty("version").ToString()).Distinct();
        Assert.Equal(2, versions.Count());

        var v2 = Convert.ToHexStringLower(torrent.InfoHashes.V2Truncated.Span);
        foreach (var hash in new[] { torrent.InfoHashes.V1Hex!, v2 })
        {
            var scrape = await GetTextAsync($"http://127.0.0.1:{fixture.TrackerPort}/scrape?info_hash={Escape(hash)}");
            Assert.StartsWith("d5:filesd20:", scrape, StringComparison.Ordinal);
        }
    }

    [RequiresToolFact("aria2c", "/usr/bin/python3:libtorrent")]
    public async Task Aria2AnnouncesAndDialsTheStoresSeeder()
    {
        var (_, _, path, torrent) = await PublishAsync("trk-aria");
        var download = temp.Combine("aria");
        Directory.CreateDirectory(download);
        var run = await Tool.RunAsync("aria2c",
        Aria2.DownloadArguments(download, path, stopTimeoutSeconds: 30), timeout: TimeSpan.FromSeconds(45));
        Assert.True(run.ExitCode == 0, "aria2c did not finish from the seeder the tracker listed:\n" + run.Stdout);
        Assert.Equal(torrent.Length, new FileInfo(Path.Combine(download, "obj.bin")).Length);
    }

    [Fact]
    public async Task CurlAnnounceGetsCompactPeersWithTheSeederAndScrapeCountsThePeer()
    {
        var (_, _, _, torrent) = await PublishAsync("trk-curl");
        var hash = Escape(torrent.InfoHashes.V1Hex!);
        var first = await GetBytesAsync($"{HttpTracker}?info_hash={hash}&peer_id=-CU0001-000000000001&port=7001&left=1000&event=started");
        var text = Encoding.Latin1.GetString(first);
        Assert.StartsWith("d8:completei1e10:incompletei1e8:intervali", text, StringComparison.Ordinal);
        var seeder = new byte[] { 127, 0, 0, 1, (byte)(fixture.PeerPort >> 8), (byte)fixture.PeerPort };
        Assert.Contains("5:peers6:" + Encoding.Latin1.GetString(seeder), text, StringComparison.Ordinal);

        // Upper-case escapes, a second peer; the first one comes back beside the seeder, never the asker itself.
        var upper = torrent.InfoHashes.V1Hex!.ToUpperInvariant();
        var second = Encoding.Latin1.GetString(await GetBytesAsync(
            $"{HttpTracker}?info_hash={Escape(upper)}&peer_id=-CU0001-000000000002&port=7002&left=-1&compact=1"));
        Assert.Contains("5:peers12:", second, StringComparison.Ordinal);

        var scrape = Encoding.Latin1.GetString(await GetBytesAsync($"http://127.0.0.1:{fixture.TrackerPort}/scrape?info_hash={hash}"));
        Assert.EndsWith("d8:completei1e10:downloadedi0e10:incompletei2eeee", scrape, StringComparison.Ordinal);

        var stop = Encoding.Latin1.GetString(await GetBytesAsync(
            $"{HttpTracker}?info_hash={hash}&peer_id=-CU0001-000000000002&port=7002&left=0&event=stopped"));
        Assert.DoesNotContain("failure", stop, StringComparison.Ordinal);
        var after = Encoding.Latin1.GetString(await GetBytesAsync($"http://127.0.0.1:{fixture.TrackerPort}/scrape?info_hash={hash}"));
        Assert.EndsWith("10:incompletei1eeee", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPrivateAndDeletedInfoHashesAreRefused()
    {
        var (client, bucket, _, torrent) = await PublishAsync("trk-refuse");
        var hash = Escape(torrent.InfoHashes.V1Hex!);
        var query = $"?info_hash={hash}&peer_id=-CU0001-000000000003&port=7003";
        Assert.DoesNotContain("failure", await GetTextAsync(HttpTracker + query), StringComparison.Ordinal);

        var unknown = await GetTextAsync($"{HttpTracker}?info_hash={Escape(new string('a', 40))}&peer_id=-CU0001-000000000003&port=7003");
        Assert.StartsWith("d14:failure reason", unknown, StringComparison.Ordinal);

        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "obj.bin", ACL = S3CannedACL.Private });
        Assert.StartsWith("d14:failure reason", await GetTextAsync(HttpTracker + query), StringComparison.Ordinal);

        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "obj.bin", ACL = S3CannedACL.PublicRead });
        Assert.DoesNotContain("failure", await GetTextAsync(HttpTracker + query), StringComparison.Ordinal);

        await client.DeleteObjectAsync(bucket, "obj.bin");
        Assert.StartsWith("d14:failure reason", await GetTextAsync(HttpTracker + query), StringComparison.Ordinal);
        Assert.StartsWith("d14:failure reason", await GetTextAsync($"http://127.0.0.1:{fixture.TrackerPort}/scrape?info_hash={hash}"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?peer_id=-CU0001-000000000003&port=7003")]
    [InlineData("?info_hash=%00%01&peer_id=-CU0001-000000000003&port=7003")]
    [InlineData("?info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=short&port=7003")]
    [InlineData("?info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=-CU0001-000000000003&port=0")]
    [InlineData("?info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=-CU0001-000000000003&port=70000")]
    [InlineData("?info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=-CU0001-000000000003&port=7003&uploaded=x")]
    public async Task MalformedAnnouncesGetAFailureReasonNotAnError(string query)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(HttpTracker + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("d14:failure reason", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullScrapeIsRefused()
    {
        Assert.StartsWith("d14:failure reason", await GetTextAsync($"http://127.0.0.1:{fixture.TrackerPort}/scrape"), StringComparison.Ordinal);
    }

    /// <summary>libtorrent with only <paramref name="tracker"/> (no web seed, no direct dial) completes: the tracker listed
    /// the store's seeder and the seeder served it.</summary>
    private async Task LibtorrentDownloadsThroughAsync(string path, TorrentFile torrent, string tracker)
    {
        var save = temp.Combine("lt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(save);
        var result = await Tool.RunAsync(Torrents.Python, [Torrents.ScriptPath("download.py"), path, save, "--tracker", tracker, "--timeout", "30"],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, "libtorrent did not finish from the seeder the tracker listed:\n" + result.Stdout + result.Stderr);
        Assert.Equal(torrent.Length, new FileInfo(Path.Combine(save, "obj.bin")).Length);
    }

    private static string Escape(string hex) => string.Concat(Convert.FromHexString(hex).Select(b => $"%{b:x2}"));

    private static async Task<byte[]> GetBytesAsync(string url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> GetTextAsync(string url) => Encoding.Latin1.GetString(await GetBytesAsync(url));
}
