using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>Issue 3: every public object is a torrent, checked by real BitTorrent tools against the real bytes.</summary>
public sealed class TorrentTests(TorrentServerFixture fixture) : IClassFixture<TorrentServerFixture>, IDisposable
{
    private readonly TempDirectory temp = new("pb-torrent");

    public void Dispose() => temp.Dispose();

    private PeerbucketServer Server => fixture.Server;

    private async Task<(AmazonS3Client Client, string Bucket)> BucketAsync(string prefix)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(bucket);
        return (client, bucket);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task EdgeSizedObjectsInEveryFormatVerifyInLibtorrent()
    {
        var (client, bucket) = await BucketAsync("tor-edge");
        int[] sizes = [1, 16 * 1024, 64 * 1024, 100_003, 3 * Files.MiB + 5];
        var pairs = new List<(string, string)>();
        var expected = new List<(int Size, string Format)>();
        foreach (var size in sizes)
        {
            var name = $"edge-{size}.bin";
            var data = Files.RandomBytes(size, seed: size);
            await Torrents.PutPublicAsync(client, bucket, $"sizes/{name}", data);
            var save = temp.Combine($"save-{size}");
            Files.Write(Path.Combine(save, name), data);
            foreach (var format in new[] { "v1", "v2", "hybrid" })
            {
                var (path, torrent) = await Torrents.FetchAsync(Server, bucket, $"sizes/{name}", temp.Path, format);
                Assert.Equal(name, torrent.DisplayName);
                Assert.Equal(size, torrent.Length);
                pairs.Add((path, save));
                expected.Add((size, format));
            }
        }

        var checks = await Torrents.LibtorrentCheckAsync(pairs);
        Assert.Equal(pairs.Count, checks.Count);
        foreach (var (check, (size, format)) in checks.Zip(expected))
        {
            Assert.True(check.Checked, $"libtorrent did not finish checking {size} bytes ({format})");
            Assert.True(check.Pieces > 0 && check.Verified == check.Pieces,
                $"{size} bytes ({format}): libtorrent verified {check.Verified} of {check.Pieces} pieces");
            Assert.Equal(format != "v2", check.V1 is not null);
            Assert.Equal(format != "v1", check.V2 is not null);
        }
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task MultipartObjectWithUnalignedPartsVerifiesInLibtorrent()
    {
        var (client, bucket) = await BucketAsync("tor-multi");
        var data = Files.RandomBytes((5 * Files.MiB) + 1 + (2 * Files.MiB) + 7, seed: 31);
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            CannedACL = S3CannedACL.PublicRead,
        });
        var first = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(data, 0, (5 * Files.MiB) + 1),
        });
        var second = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            UploadId = upload.UploadId,
            PartNumber = 2,
            InputStream = new MemoryStream(data, (5 * Files.MiB) + 1, data.Length - ((5 * Files.MiB) + 1)),
        });
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "multi.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, first.ETag), new PartETag(2, second.ETag)],
        });

        var save = temp.Combine("multi");
        Files.Write(Path.Combine(save, "multi.bin"), data);
        var v1 = await Torrents.FetchAsync(Server, bucket, "multi.bin", temp.Path, "v1");
        var hybrid = await Torrents.FetchAsync(Server, bucket, "multi.bin", temp.Path, "hybrid");
        Assert.NotEqual(0, (5 * Files.MiB + 1) % v1.Torrent.PieceLength);
        var checks = await Torrents.LibtorrentCheckAsync([(v1.Path, save), (hybrid.Path, save)]);
        Assert.All(checks, c => Assert.True(c.Checked && c.Verified == c.Pieces, $"{c.Verified}/{c.Pieces} pieces verified"));
    }

    [RequiresToolFact("mktorrent")]
    public async Task V1InfoHashEqualsMktorrentsForTheSameFileNameAndPieceLength()
    {
        var (client, bucket) = await BucketAsync("tor-mk");
        // mktorrent's smallest piece is 32 KiB, which the size rule picks from 32 MiB on.
        var data = Files.RandomBytes((40 * Files.MiB) + 3, seed: 41);
        await Torrents.PutPublicAsync(client, bucket, "dir/same.bin", data);
        var ours = await Torrents.FetchAsync(Server, bucket, "dir/same.bin", temp.Path);
        var file = Files.Write(temp.Combine("mk", "same.bin"), data);
        var output = temp.Combine("mk.torrent");
        var log2 = (int)Math.Log2(ours.Torrent.PieceLength);
        await Tool.RunCheckedAsync("mktorrent", ["-l", log2.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "http://127.0.0.1:1/announce", "-o", output, file]);
        var theirs = TorrentFile.Parse(File.ReadAllBytes(output));
        Assert.Equal(32 * 1024, ours.Torrent.PieceLength);
        Assert.Equal(theirs.InfoHashes.V1Hex, ours.Torrent.InfoHashes.V1Hex);
    }

    [RequiresToolFact("/usr/bin/python3:libtorrent")]
    public async Task HybridInfoHashesEqualLibtorrentCreateTorrents()
    {
        var (client, bucket) = await BucketAsync("tor-lt");
        var data = Files.RandomBytes((2 * Files.MiB) + 12345, seed: 51);
        await Torrents.PutPublicAsync(client, bucket, "same.bin", data);
        var ours = await Torrents.FetchAsync(Server, bucket, "same.bin", temp.Path, "hybrid");
        var directory = temp.Combine("lt");
        Files.Write(Path.Combine(directory, "same.bin"), data);
        var script = $$"""
            import libtorrent as lt
            fs = lt.file_storage()
            lt.add_files(fs, {{Quote(Path.Combine(directory, "same.bin"))}})
            t = lt.create_torrent(fs, {{ours.Torrent.PieceLength}})
            lt.set_piece_hashes(t, {{Quote(directory)}})
            ti = lt.torrent_info(t.generate())
            print(ti.info_hashes().v1, ti.info_hashes().v2)
            """;
        var result = await Tool.RunCheckedAsync(Torrents.Python, ["-c", script]);
        var parts = result.Stdout.Trim().Split(' ');
        Assert.Equal(parts[0], ours.Torrent.InfoHashes.V1Hex);
        Assert.Equal(parts[1], ours.Torrent.InfoHashes.V2Hex);
    }

    [RequiresToolFact("transmission-show", "aria2c")]
    public async Task TransmissionAndAria2ReadTheDefaultTorrentWithTheAdvertisedHash()
    {
        var (client, bucket) = await BucketAsync("tor-read");
        await Torrents.PutPublicAsync(client, bucket, "read.bin", Files.RandomBytes(300_000, seed: 61));
        var (path, torrent) = await Torrents.FetchAsync(Server, bucket, "read.bin", temp.Path);
        Assert.Equal(TorrentFormat.V1, torrent.Format);

        using var http = new HttpClient();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Torrents.ObjectUrl(Server, bucket, "read.bin")));
        Assert.Equal(torrent.InfoHashes.V1Hex, head.Headers.GetValues("x-peerbucket-btih").Single());
        Assert.False(head.Headers.Contains("x-peerbucket-btmh"));

        var show = await Tool.RunCheckedAsync("transmission-show", [path]);
        Assert.Contains(torrent.InfoHashes.V1Hex!, show.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("read.bin", show.Stdout, StringComparison.Ordinal);
        var aria = await Tool.RunCheckedAsync("aria2c", ["--show-files=true", path]);
        Assert.Contains(torrent.InfoHashes.V1Hex!, aria.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TorrentResponseHasItsHeadersTrackersWebSeedAndIsStable()
    {
        var (client, bucket) = await BucketAsync("tor-resp");
        var key = "dir/sub dir/a+b ü.bin";
        await Torrents.PutPublicAsync(client, bucket, key, Files.RandomBytes(200_000, seed: 71));
        using var http = new HttpClient();
        var url = Torrents.ObjectUrl(Server, bucket, key) + "?torrent";
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-bittorrent", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("a+b ü.bin.torrent", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);

        var torrent = TorrentFile.Parse(bytes);
        var tracker = $"http://127.0.0.1:{fixture.TrackerPort}/announce";
        Assert.Equal(tracker, torrent.Announce);
        Assert.Equal([[tracker], [$"udp://127.0.0.1:{fixture.TrackerPort}/announce"]], torrent.AnnounceList.Select(t => t.ToArray()).ToArray());
        Assert.Equal([$"{Server.Endpoint}/_seed/{torrent.InfoHashes.V1Hex}/a%2Bb%20%C3%BC.bin"], torrent.UrlList);
        Assert.Equal("a+b ü.bin", torrent.DisplayName);
        var head = await client.GetObjectMetadataAsync(bucket, key);
        Assert.Equal(new DateTimeOffset(head.LastModified!.Value.ToUniversalTime()).ToUnixTimeSeconds(), torrent.CreationDate!.Value.ToUnixTimeSeconds());

        Assert.Equal(bytes, await http.GetByteArrayAsync(url));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 9);
        using var rangedResponse = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.OK, rangedResponse.StatusCode);
        Assert.Equal(bytes, await rangedResponse.Content.ReadAsByteArrayAsync());

        // The web seed names the content: a GET of it returns the object's bytes while they are served; once the key
        // is overwritten it answers 404, so no client of the old torrent ever gets the new bytes.
        var seed = await http.GetByteArrayAsync(torrent.UrlList[0]);
        Assert.Equal(Files.RandomBytes(200_000, seed: 71), seed);
        await Torrents.PutPublicAsync(client, bucket, key, Files.RandomBytes(200_000, seed: 72));
        using var gone = await http.GetAsync(torrent.UrlList[0]);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task MagnetNamesBothHashesTrackersWebSeedAndTheSeeder()
    {
        var (client, bucket) = await BucketAsync("tor-mag");
        await Torrents.PutPublicAsync(client, bucket, "m.bin", Files.RandomBytes(50_000, seed: 91));
        var (_, hybrid) = await Torrents.FetchAsync(Server, bucket, "m.bin", temp.Path, "hybrid");
        using var http = new HttpClient();
        using var response = await http.GetAsync(Torrents.ObjectUrl(Server, bucket, "m.bin") + "?magnet&format=hybrid");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var magnet = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("magnet:?", magnet, StringComparison.Ordinal);
        Assert.Contains($"xt=urn:btih:{hybrid.InfoHashes.V1Hex}", magnet, StringComparison.Ordinal);
        Assert.Contains($"xt=urn:btmh:1220{hybrid.InfoHashes.V2Hex}", magnet, StringComparison.Ordinal);
        Assert.Contains("dn=m.bin", magnet, StringComparison.Ordinal);
        Assert.Contains("xl=50000", magnet, StringComparison.Ordinal);
        Assert.Contains("tr=" + Uri.EscapeDataString($"http://127.0.0.1:{fixture.TrackerPort}/announce"), magnet, StringComparison.Ordinal);
        Assert.Contains("tr=" + Uri.EscapeDataString($"udp://127.0.0.1:{fixture.TrackerPort}/announce"), magnet, StringComparison.Ordinal);
        Assert.Contains("ws=" + Uri.EscapeDataString(Torrents.WebSeedUrl(Server, hybrid)), magnet, StringComparison.Ordinal);
        Assert.Contains("x.pe=" + Uri.EscapeDataString($"127.0.0.1:{fixture.PeerPort}"), magnet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AZeroByteObjectIsStoredButHasNoTorrent()
    {
        var (client, bucket) = await BucketAsync("tor-zero");
        await Torrents.PutPublicAsync(client, bucket, "empty", []);
        using var http = new HttpClient();
        using var get = await http.GetAsync(Torrents.ObjectUrl(Server, bucket, "empty"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync());
        using var torrent = await http.GetAsync(Torrents.ObjectUrl(Server, bucket, "empty") + "?torrent");
        Assert.Equal(HttpStatusCode.BadRequest, torrent.StatusCode);
        Assert.Contains("<Code>InvalidRequest</Code>", await torrent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TorrentAccessFollowsTheOneAuthorizationFunction()
    {
        var (client, bucket) = await BucketAsync("tor-auth");
        await Torrents.PutPublicAsync(client, bucket, "public.bin", [1, 2, 3]);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private.bin", InputStream = new MemoryStream([4, 5, 6]) });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "open/policy.bin", InputStream = new MemoryStream([7, 8, 9]) });
        await client.PutBucketPolicyAsync(bucket, $$"""
            {"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/open/*"}]}
            """);

        using var http = new HttpClient();
        async Task<(HttpStatusCode, string)> Anonymous(string bucketName, string key)
        {
            using var response = await http.GetAsync($"{Server.Endpoint}/{bucketName}/{key}?torrent");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await Anonymous(bucket, "public.bin")).Item1);
        Assert.Equal(HttpStatusCode.OK, (await Anonymous(bucket, "open/policy.bin")).Item1);
        var denied = await Anonymous(bucket, "private.bin");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Item1);
        Assert.Contains("<Code>AccessDenied</Code>", denied.Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await Anonymous(bucket, "missing.bin")).Item1);
        var noBucket = await Anonymous("no-such-bucket-" + Environment.ProcessId, "x.bin");
        Assert.Equal(HttpStatusCode.NotFound, noBucket.Item1);
        Assert.Contains("<Code>NoSuchBucket</Code>", noBucket.Item2, StringComparison.Ordinal);

        // Signed callers with read access get the torrent of a private object (GetObjectTorrent in the SDK).
        var signed = await client.GetObjectTorrentAsync(new GetObjectTorrentRequest { BucketName = bucket, Key = "private.bin" });
        using var body = new MemoryStream();
        await signed.ResponseStream.CopyToAsync(body);
        Assert.Equal("private.bin", TorrentFile.Parse(body.ToArray()).DisplayName);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            client.GetObjectTorrentAsync(new GetObjectTorrentRequest { BucketName = bucket, Key = "missing.bin" }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        // With list permission granted to everyone, a missing key is NoSuchKey for anonymous callers too.
        await client.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicRead });
        var missingPublic = await Anonymous(bucket, "missing.bin");
        Assert.Equal(HttpStatusCode.NotFound, missingPublic.Item1);
        Assert.Contains("<Code>NoSuchKey</Code>", missingPublic.Item2, StringComparison.Ordinal);
    }

    [RequiresToolFact("aws")]
    public async Task AwsCliGetObjectTorrentWritesTheTorrent()
    {
        var (client, bucket) = await BucketAsync("tor-cli");
        await Torrents.PutPublicAsync(client, bucket, "cli.bin", Files.RandomBytes(40_000, seed: 101));
        var output = temp.Combine("cli.torrent");
        await Tool.RunCheckedAsync("aws",
            ["--endpoint-url", Server.Endpoint, "s3api", "get-object-torrent", "--bucket", bucket, "--key", "cli.bin", output],
            ToolEnvironment.ForS3(Server, temp.Path));
        Assert.Equal("cli.bin", TorrentFile.Parse(File.ReadAllBytes(output)).DisplayName);
    }

    [Fact]
    public async Task OverwritingChangesTheInfoHashOnlyWhenTheBytesChange()
    {
        var (client, bucket) = await BucketAsync("tor-over");
        var data = Files.RandomBytes(70_000, seed: 111);
        await Torrents.PutPublicAsync(client, bucket, "o.bin", data);
        var first = await Torrents.FetchAsync(Server, bucket, "o.bin", temp.Path);
        await Torrents.PutPublicAsync(client, bucket, "o.bin", data);
        var same = await Torrents.FetchAsync(Server, bucket, "o.bin", temp.Path);
        Assert.Equal(first.Torrent.InfoHashes.V1Hex, same.Torrent.InfoHashes.V1Hex);
        data[0] ^= 0xFF;
        await Torrents.PutPublicAsync(client, bucket, "o.bin", data);
        var changed = await Torrents.FetchAsync(Server, bucket, "o.bin", temp.Path);
        Assert.NotEqual(first.Torrent.InfoHashes.V1Hex, changed.Torrent.InfoHashes.V1Hex);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    [InlineData("hybrid")]
    public async Task TheCliCreatesTheSameInfoHashAsTheServer(string format)
    {
        var (client, bucket) = await BucketAsync("tor-cli-create");
        var data = Files.RandomBytes((1 * Files.MiB) + 77, seed: 121);
        await Torrents.PutPublicAsync(client, bucket, $"cli/{format}.bin", data);
        var server = await Torrents.FetchAsync(Server, bucket, $"cli/{format}.bin", temp.Path, format);
        var file = Files.Write(temp.Combine("cli-" + format, $"{format}.bin"), data);
        var output = temp.Combine($"cli-{format}.torrent");
        await Tool.RunCheckedAsync(Paths.DotnetHost,
            [Paths.ServerAssembly, "torrent", "create", file, "-o", output, "--format", format,
             "--piece-length", server.Torrent.PieceLength.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var cli = TorrentFile.Parse(File.ReadAllBytes(output));
        Assert.Equal(server.Torrent.InfoHashes.V1Hex, cli.InfoHashes.V1Hex);
        Assert.Equal(server.Torrent.InfoHashes.V2Hex, cli.InfoHashes.V2Hex);

        var show = await Tool.RunCheckedAsync(Paths.DotnetHost, [Paths.ServerAssembly, "torrent", "show", output]);
        Assert.Contains($"{format}.bin", show.Stdout, StringComparison.Ordinal);
        Assert.Contains(server.Torrent.InfoHashes.V1Hex ?? server.Torrent.InfoHashes.V2Hex!, show.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("magnet:?", show.Stdout, StringComparison.Ordinal);
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
