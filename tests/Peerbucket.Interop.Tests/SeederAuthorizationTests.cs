using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// Who the seeder serves, over the wire: only info-hashes of objects anyone may read. Private, unknown and deleted
/// info-hashes are refused at the handshake (closed, no reply), and a download in progress stops when its object is
/// made private.
/// </summary>
public sealed class SeederAuthorizationTests(SeederSwarmFixture fixture) : IClassFixture<SeederSwarmFixture>, IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly TempDirectory temp = new("pb-seed-auth");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    [RequiresToolFact("/usr/bin/python3")]
    public async Task PrivateUnknownAndDeletedInfoHashesAreRefusedAtTheHandshake()
    {
        var since = Server.Output.Length;
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("seed-auth");
        await client.PutBucketAsync(bucket);
        await Torrents.PutPublicAsync(client, bucket, "open.bin", Files.RandomBytes(300_000, 11));
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret.bin", InputStream = new MemoryStream(Files.RandomBytes(300_000, 12)) });

        // Both hybrid torrents exist in the store (so a refusal is the authorization, not a missing torrent): the
        // public one fetched anonymously, the private one by its owner.
        var (_, open) = await Torrents.FetchAsync(Server, bucket, "open.bin", temp.Path, "hybrid");
        var secret = await SignedTorrentAsync(bucket, "secret.bin", "hybrid");
        string[] openHashes = [open.InfoHashes.V1Hex!, Convert.ToHexStringLower(open.InfoHashes.V2Truncated.Span)];
        string[] secretHashes = [secret.InfoHashes.V1Hex!, Convert.ToHexStringLower(secret.InfoHashes.V2Truncated.Span)];
        var unknown = Convert.ToHexStringLower(Files.RandomBytes(20, 13));

        var refused = new List<RawPeer.Probe>();
        var first = await RawPeer.HandshakeAsync(fixture.Peer, [.. openHashes, .. secretHashes, unknown]);
        AssertAnswered(first, openHashes, "public object (v1 and truncated v2 of a hybrid)");
        refused.AddRange(AssertRefused(first, secretHashes, "private object"));
        refused.AddRange(AssertRefused(first, [unknown], "unknown info-hash"));

        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "open.bin", ACL = S3CannedACL.Private });
        refused.AddRange(AssertRefused(await RawPeer.HandshakeAsync(fixture.Peer, openHashes), openHashes, "object made private"));

        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "open.bin", ACL = S3CannedACL.PublicRead });
        AssertAnswered(await RawPeer.HandshakeAsync(fixture.Peer, openHashes), openHashes, "object made public again");

        await client.DeleteObjectAsync(bucket, "open.bin");
        refused.AddRange(AssertRefused(await RawPeer.HandshakeAsync(fixture.Peer, openHashes), openHashes, "deleted object"));

        var reasons = await SeederLog.CloseReasonsAsync(Server, since, refused.Select(p => p.Local).ToList(), TimeSpan.FromSeconds(10));
        foreach (var probe in refused)
        {
            Assert.True(reasons.GetValueOrDefault(probe.Local) == "UnknownInfoHash",
                $"{probe.InfoHash} from {probe.Local}: server logged {reasons.GetValueOrDefault(probe.Local, "nothing")}, expected UnknownInfoHash");
        }
    }

    /// <summary>libtorrent downloads a 8 MiB object from the seeder alone, capped at 200 KB/s on its side; after
    /// progress the object is made private: the seeder drops the connection within seconds and the download stalls.</summary>
    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task ADownloadStopsWhenItsObjectIsMadePrivateMidway()
    {
        const int size = (8 * 1024 * 1024) + 777;
        var since = Server.Output.Length;
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("seed-private");
        await client.PutBucketAsync(bucket);
        await Torrents.PutPublicAsync(client, bucket, "slow.bin", Files.RandomBytes(size, 14));
        var (path, torrent) = await Torrents.FetchAsync(Server, bucket, "slow.bin", temp.Path, "v1");
        var stripped = path + ".noseed.torrent";
        await Tool.RunCheckedAsync(Torrents.Python, [Torrents.ScriptPath("strip_torrent.py"), path, stripped]);
        var save = temp.Combine("save");
        Directory.CreateDirectory(save);
        var statusFile = temp.Combine("status.json");
        var run = Tool.RunAsync(Torrents.Python,
            [Torrents.ScriptPath("download.py"), stripped, save, "--peer", fixture.Peer, "--timeout", "25",
                "--download-rate", "200000", "--status-file", statusFile],
            timeout: TimeSpan.FromSeconds(60));

        var before = await WaitForStatusAsync(statusFile, s => s.TotalDone >= 512 * 1024, run, TimeSpan.FromSeconds(30));
        Assert.True(before is not null, $"no progress to 512 KiB within 30 s:\n{(run.IsCompleted ? (await run).Stdout : "")}\n{Server.Output}");
        Assert.True(before.TotalDone < size / 2, $"{before.TotalDone} bytes already: the client-side rate limit did not hold");

        var aclStart = Now();
        await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "slow.bin", ACL = S3CannedACL.Private });
        var aclDone = Now();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var settled = ReadStatus(statusFile);
        var result = await run;
        var last = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(last is not null, $"{result.CommandLine}\n{result.Stdout}\n{result.Stderr}");
        Assert.True(settled is not null, "no status 5 s after the change");
        var final = JsonSerializer.Deserialize<Download>(last, Json)!;
        var context = $"ACL change {aclStart:F2}-{aclDone:F2}; before {before}; 5 s later {settled}; final {last}";

        Assert.False(final.Done, $"the download completed after the object was made private: {context}");
        Assert.True(final.Progress < 1.0, context);
        Assert.True(final.TotalDone == settled.TotalDone, $"bytes still arrived more than 5 s after the change: {context}");
        Assert.True(final.TotalDone < size, context);
        Assert.True(final.Events.Any(e => e.What == "peer_disconnected" && e.Endpoint == fixture.Peer && e.T >= aclStart && e.T <= aclDone + 5),
            $"libtorrent saw no disconnect from the seeder within 5 s of the change: {context}");
        var v1 = torrent.InfoHashes.V1Hex!;
        Assert.Contains(SeederLog.Closes(Server, since), c => c.InfoHash == v1 && c.Reason == "NoLongerServed");
    }

    private static void AssertAnswered(IReadOnlyDictionary<string, RawPeer.Probe> probes, IEnumerable<string> hashes, string what)
    {
        foreach (var hash in hashes)
        {
            var probe = probes[hash];
            Assert.True(probe.Reply, $"{what}: {hash} got no handshake reply ({probe})");
        }
    }

    private static IEnumerable<RawPeer.Probe> AssertRefused(IReadOnlyDictionary<string, RawPeer.Probe> probes, IEnumerable<string> hashes, string what)
    {
        var refused = new List<RawPeer.Probe>();
        foreach (var hash in hashes)
        {
            var probe = probes[hash];
            Assert.True(probe is { Closed: true, Bytes: 0, Reply: false }, $"{what}: {hash} was not refused at the handshake ({probe})");
            refused.Add(probe);
        }

        return refused;
    }

    /// <summary>GET ?torrent&amp;format= signed by the owner (the SDK's GetObjectTorrent has no format).</summary>
    private async Task<TorrentFile> SignedTorrentAsync(string bucket, string key, string format)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Torrents.ObjectUrl(Server, bucket, key)}?torrent&format={format}");
        SigV4TestSigner.Sign(request, [], Server.AccessKey, Server.SecretKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signed ?torrent: {response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return TorrentFile.Parse(body);
    }

    private static async Task<Status?> WaitForStatusAsync(string file, Func<Status, bool> until, Task running, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !running.IsCompleted)
        {
            if (ReadStatus(file) is { } status && until(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        return null;
    }

    private static Status? ReadStatus(string file) =>
        File.Exists(file) ? JsonSerializer.Deserialize<Status>(File.ReadAllText(file), Json) : null;

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>download.py's --status-file snapshot.</summary>
    private sealed record Status(double T, double Progress, long TotalDone, int Peers);

    private sealed record PeerEvent(double T, string What, string? Endpoint, string Message);

    /// <summary>download.py's final line (the fields used here).</summary>
    private sealed record Download(bool Done, double Progress, long TotalDone, PeerEvent[] Events);
}
