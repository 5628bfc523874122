using System.Net;
using System.Text.Json;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// Issue "Web seeds": each real client downloads a public object from its URL alone. The torrent keeps its url-list
/// but loses announce and announce-list (outside the info dict, so the info-hash stays), DHT/PEX/LSD are off and nobody
/// dials the seeder: the server's request log must show the bytes leaving as range GETs of the content-addressed web
/// seed (/_seed/{info-hash}/{name}), a lone downloader getting them all at full speed.
/// </summary>
public sealed class WebSeedTests(WebSeedServerFixture fixture) : IClassFixture<WebSeedServerFixture>, IDisposable
{
    // Several MiB, not a multiple of any piece length, under a key that needs escaping in the web-seed URL.
    private const int Size = (5 * Files.MiB) + 12345;
    private const string Key = "web seed/data+1.bin";
    private const string FileName = "data+1.bin";
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(90);
    private readonly TempDirectory temp = new("pb-webseed");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    /// <summary>Publishes the object in a new bucket; returns it with its .torrent stripped of trackers.</summary>
    private async Task<(string Bucket, byte[] Data, string Torrent, TorrentFile Parsed)> PublishAsync(string prefix)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, prefix.Aggregate(11, (hash, c) => unchecked((hash * 31) + c)));
        await Torrents.PutPublicAsync(client, bucket, Key, data);
        var (path, original) = await Torrents.FetchAsync(Server, bucket, Key, temp.Path);
        var stripped = path + ".webseed-only.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped, "announce", "announce-list"]);

        var parsed = TorrentFile.Parse(File.ReadAllBytes(stripped));
        Assert.Null(parsed.Announce);
        Assert.Empty(parsed.AnnounceList);
        Assert.Equal([Torrents.WebSeedUrl(Server, original)], parsed.UrlList);
        Assert.Equal(original.InfoHashes.V1Hex, parsed.InfoHashes.V1Hex);
        Assert.True(parsed.Length > 4 * parsed.PieceLength && parsed.Length % parsed.PieceLength != 0,
            $"{parsed.Length} bytes in pieces of {parsed.PieceLength}: not the multi-piece unaligned case");
        return (bucket, data, stripped, parsed);
    }

    /// <summary>The downloaded file has the object's bytes, and the server sent them as range GETs (206) of the object.</summary>
    private void AssertDownloadedFromTheWebSeed(TorrentFile parsed, byte[] expected, string file)
    {
        Assert.True(File.Exists(file), $"{file} missing");
        Assert.Equal(Files.Md5Hex(expected), Files.Md5Hex(File.ReadAllBytes(file)));
        var gets = RequestLog.GetsUnder(Server.Output, Torrents.WebSeedPrefix(parsed));
        var ranged = gets.Where(g => g.Status == (int)HttpStatusCode.PartialContent).ToList();
        Assert.True(ranged.Count > 0 && ranged.Sum(g => g.Length) >= expected.Length,
            $"expected range GETs covering {expected.Length} bytes, saw {string.Join(", ", gets)}");
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task LibtorrentDownloadsFromTheWebSeedAlone()
    {
        var (_, data, torrent, parsed) = await PublishAsync("ws-lt");
        var save = temp.Combine("lt");
        Directory.CreateDirectory(save);
        var result = await Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("download.py"), torrent, save, "--web-seeds", "--timeout", "60"], timeout: ClientTimeout);
        var last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(result.ExitCode == 0 && last is not null, $"{result.CommandLine}\n{result.Stdout}\n{result.Stderr}");
        var status = JsonDocument.Parse(last).RootElement;
        Assert.True(status.GetProperty("done").GetBoolean());
        Assert.Equal(0, status.GetProperty("peers_seen").GetArrayLength());
        Assert.Equal($"127.0.0.1:{Server.Port}", Assert.Single(status.GetProperty("web_seeds_seen").EnumerateArray()).GetString());
        AssertDownloadedFromTheWebSeed(parsed, data, Path.Combine(save, FileName));
    }

    [RequiresToolFact("transmission-cli", "/usr/bin/python3:libtorrent")]
    public async Task TransmissionDownloadsFromTheWebSeedAlone()
    {
        var (_, data, torrent, parsed) = await PublishAsync("ws-tr");
        var download = await Transmission.DownloadAsync(torrent, temp.Combine("tr"), IPAddress.Loopback, ClientTimeout);
        Assert.True(download.Finished && download.Result.ExitCode == 0,
            $"transmission did not finish: exit {download.Result.ExitCode}, timed out {download.Result.TimedOut}\n"
            + $"{download.Result.Stderr}\n{Tail(download.Result.Stdout)}");
        Assert.Equal(parsed.InfoHashes.V1Hex, download.InfoHash);
        AssertDownloadedFromTheWebSeed(parsed, data, Path.Combine(download.Directory, FileName));

        // transmission asks for one piece per request: one range GET per piece.
        var ranged = RequestLog.GetsUnder(Server.Output, Torrents.WebSeedPrefix(parsed)).Count(g => g.Status == (int)HttpStatusCode.PartialContent);
        Assert.True(ranged >= parsed.PieceCount, $"{ranged} range GETs for {parsed.PieceCount} pieces");
    }

    [RequiresToolFact("aria2c", "/usr/bin/python3:libtorrent")]
    public async Task Aria2DownloadsFromTheWebSeedAlone()
    {
        var (_, data, torrent, parsed) = await PublishAsync("ws-aria");
        var save = temp.Combine("aria");
        Directory.CreateDirectory(save);
        await Tool.RunCheckedAsync("aria2c",
        Aria2.DownloadArguments(save, torrent), timeout: ClientTimeout);
        AssertDownloadedFromTheWebSeed(parsed, data, Path.Combine(save, FileName));
    }

    private static string Tail(string text) => text.Length <= 2000 ? text : "..." + text[^2000..];
}
