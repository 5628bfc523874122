using System.Net;
using System.Net.Sockets;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The thrifty web seed in a crowd, as libtorrent meets it (it asks for up to 16 MiB at once): a range longer than the
/// requester's share of first copies gets the pieces of its start that may be given, then the connection ends (no
/// error status, so libtorrent keeps the web seed and comes back within a second); a range whose first piece went to
/// another downloader gets the one-byte 206 that makes libtorrent take it from its peers; a range of fresh pieces
/// within the share is served whole. Requests come from two loopback addresses with libtorrent's User-Agent, after
/// two leechers announced, so the origin counts a crowd of two (share: half the pieces each).
/// </summary>
public sealed class WebSeedShareTests(OffloadServerFixture fixture) : IClassFixture<OffloadServerFixture>, IDisposable
{
    private const int Size = 4 * Files.MiB; // 16 pieces of 256 KiB
    private const int Half = Size / 2;
    private readonly TempDirectory temp = new("pb-webseed-share");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    [Fact]
    public async Task ALibtorrentRangeBeyondItsShareGetsThePiecesItMayHaveAndTheRestGoesToThePeers()
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("ws-share");
        await client.PutBucketAsync(bucket);
        var data = Files.RandomBytes(Size, 61);
        await Torrents.PutPublicAsync(client, bucket, "share.bin", data);
        var (_, torrent) = await Torrents.FetchAsync(Server, bucket, "share.bin", temp.Path);
        Assert.Equal(262144, torrent.PieceLength);
        var url = Torrents.WebSeedUrl(Server, torrent);
        await AnnounceLeecherAsync(torrent, "-LT2080-shareleech01", 6881);
        await AnnounceLeecherAsync(torrent, "-LT2080-shareleech02", 6882);

        using var a = Requester("127.0.0.51");
        using var b = Requester("127.0.0.52");

        // A asks for everything: its half comes, then the connection ends.
        var first = await GetAsync(a, url, 0, Size - 1);
        Assert.Equal(206, first.Status);
        Assert.Equal($"bytes 0-{Size - 1}/{Size}", first.ContentRange);
        Assert.True(first.Cut, "the answer beyond the share was not cut short");
        Assert.Equal(data[..Half], first.Body);

        // B asks for everything: its first piece went to A, so B is sent to its peers (206 of one byte).
        var deferred = await GetAsync(b, url, 0, Size - 1);
        Assert.Equal(206, deferred.Status);
        Assert.Equal($"bytes 0-0/{Size}", deferred.ContentRange);
        Assert.Equal(data[..1], deferred.Body);

        // B asks for the pieces nobody was given: all of them, within its share.
        var rest = await GetAsync(b, url, Half, Size - 1);
        Assert.Equal(206, rest.Status);
        Assert.Equal($"bytes {Half}-{Size - 1}/{Size}", rest.ContentRange);
        Assert.False(rest.Cut);
        Assert.Equal(data[Half..], rest.Body);

        // Every piece is out once: A's ask for one of B's goes to the peers too.
        var again = await GetAsync(a, url, Half, Half + 262143);
        Assert.Equal($"bytes {Half}-{Half}/{Size}", again.ContentRange);
        Assert.Equal(Size + 2, await OriginMetrics.BytesAsync(Server, bucket, "share.bin", "web_seed"));
    }

    private async Task AnnounceLeecherAsync(Peerbucket.Protocols.Metainfo.TorrentFile torrent, string peerId, int port)
    {
        var escaped = string.Concat(torrent.InfoHashes.V1.ToArray().Select(b => $"%{b:X2}"));
        using var http = new HttpClient();
        var reply = await http.GetStringAsync(
            $"{torrent.Announce}?info_hash={escaped}&peer_id={peerId}&port={port}&uploaded=0&downloaded=0&left={Size}&compact=1&event=started");
        Assert.DoesNotContain("failure reason", reply, StringComparison.Ordinal);
    }

    /// <summary>An HTTP client whose connections come from <paramref name="address"/> and that says it is libtorrent.</summary>
    private static HttpClient Requester(string address)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });
        http.DefaultRequestHeaders.UserAgent.ParseAdd("libtorrent/2.0.8.0");
        return http;
    }

    private sealed record Answer(int Status, string? ContentRange, byte[] Body, bool Cut);

    /// <summary>One range GET; the body as far as it came, and whether the connection ended before Content-Length.</summary>
    private static async Task<Answer> GetAsync(HttpClient http, string url, long first, long last)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(first, last);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var body = new MemoryStream();
        var cut = false;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            await stream.CopyToAsync(body);
        }
        catch (IOException)
        {
            cut = true; // the connection ended (FIN or reset) before Content-Length
        }

        cut |= response.Content.Headers.ContentLength is { } length && body.Length < length;
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentRange?.ToString(), body.ToArray(), cut);
    }
}
