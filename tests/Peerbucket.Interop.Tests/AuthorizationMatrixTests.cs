using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// The authorization matrix: for each state an object can be in (private, public by ACL, public by a policy prefix,
/// outside that prefix, made private, deleted, overwritten by a private or a public object, policy removed), every
/// path that can hand out its bytes, its torrent or its existence is probed anonymously — path- and virtual-hosted-style
/// GET, HEAD, ranges, <c>response-*</c> overrides, <c>?torrent</c>, <c>?magnet</c>, <c>?acl</c>, both listings, dot
/// segments, presigned URLs expired, tampered and swapped, HTTP and UDP announce and scrape, the seeder's handshake, the
/// web seed and <c>/_metrics</c> — and must answer exactly as the state allows. In a versioned bucket the first
/// version stays readable by its version id (and served by its info-hash) exactly while it is public: a public old
/// version under a private current one, a private old one under a public one, one behind a delete marker, one made
/// private after it became noncurrent. And a public-read object whose bucket then turns ACLs off (ownership
/// controls BucketOwnerEnforced) is private on every path. Every miss is collected, so one run shows the whole matrix.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixFixture fixture) : IClassFixture<AuthorizationMatrixFixture>, IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    private PeerbucketServer Server => fixture.Server;

    public static TheoryData<string> Cases =>
        ["private", "public-acl", "public-policy", "outside-policy", "made-private", "deleted", "overwritten-private", "overwritten-public", "policy-removed",
         "versioned-old-public", "versioned-old-private", "versioned-deleted", "versioned-old-made-private", "acls-disabled", "authenticated-read"];

    [RequiresToolTheory("/usr/bin/python3")]
    [MemberData(nameof(Cases))]
    public async Task EveryPathAnswersAsTheObjectsStateAllows(string state)
    {
        var subject = await PrepareAsync(state);
        var misses = new List<string>();
        void Expect(bool ok, string path, string what)
        {
            if (!ok)
            {
                misses.Add($"{path}: {what}");
            }
        }

        var url = Torrents.ObjectUrl(Server, subject.Bucket, subject.Key);
        await ProbeS3Async(subject, url, Expect);
        await ProbeOriginalVersionAsync(subject, url, Expect);
        await ProbePresignedAsync(subject, Expect);
        await ProbeTorrentPathsAsync(subject, Expect);
        var metrics = await http.GetStringAsync($"{Server.Endpoint}/_metrics");
        var named = metrics.Contains($"bucket=\"{subject.Bucket}\"", StringComparison.Ordinal);
        Expect(subject.Readable || !named, "/_metrics", "names a bucket whose only object is not readable");

        Assert.True(misses.Count == 0, $"state {state} (readable {subject.Readable}, info-hash served {subject.HashServed}):\n  " + string.Join("\n  ", misses));
    }

    /// <param name="Readable">The key's current object may be read anonymously.</param>
    /// <param name="HashServed">The first version (<see cref="Original"/>, whose info-hash <see cref="InfoHash"/> is) may:
    /// current or noncurrent, it is served over BitTorrent exactly then.</param>
    /// <param name="OriginalVersion">The first version's id in a versioned bucket; null otherwise.</param>
    private sealed record Subject(string Bucket, string Key, byte[] Current, byte[] Original, byte[] InfoHash, string Name, bool Readable,
        bool HashServed, string? OriginalVersion);

    private async Task<Subject> PrepareAsync(string state)
    {
        var client = Server.CreateClient();
        var bucket = fixture.NewBucketName("authz");
        await client.PutBucketAsync(bucket);
        var key = state is "public-policy" or "policy-removed" ? "pub/k.bin" : state == "outside-policy" ? "other/k.bin" : "k.bin";
        var original = Files.RandomBytes(40_000, state.GetHashCode(StringComparison.Ordinal));
        var publicAtFirst = state is not ("private" or "outside-policy" or "versioned-old-private");
        var versioned = state.StartsWith("versioned-", StringComparison.Ordinal);
        if (versioned)
        {
            await client.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = bucket,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            });
        }

        string? originalVersion = null;
        if (state is "public-policy" or "outside-policy" or "policy-removed")
        {
            await client.PutBucketPolicyAsync(bucket,
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/pub/*"}]}""");
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(original) });
        }
        else
        {
            originalVersion = (await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new MemoryStream(original),
                CannedACL = publicAtFirst ? S3CannedACL.PublicRead : S3CannedACL.Private,
            })).VersionId;
        }

        var torrent = await OwnerTorrentAsync(bucket, key);
        await OwnerGetAsync(client, bucket, key); // egress, so the object would show in /_metrics if it leaked there
        var current = original;
        switch (state)
        {
            case "made-private":
                await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = key, ACL = S3CannedACL.Private });
                break;
            case "deleted":
            case "versioned-deleted":
                await client.DeleteObjectAsync(bucket, key);
                current = [];
                break;
            case "overwritten-private":
            case "overwritten-public":
            case "versioned-old-public":
            case "versioned-old-private":
            case "versioned-old-made-private":
                current = Files.RandomBytes(40_000, 99);
                await client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = key,
                    InputStream = new MemoryStream(current),
                    CannedACL = state is "overwritten-public" or "versioned-old-private" or "versioned-old-made-private"
                        ? S3CannedACL.PublicRead : S3CannedACL.Private,
                });
                if (state == "versioned-old-made-private")
                {
                    await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = key, VersionId = originalVersion, ACL = S3CannedACL.Private });
                }

                break;
            case "policy-removed":
                await client.DeleteBucketPolicyAsync(bucket);
                break;
            case "authenticated-read":
                // Readable by every signed-in user, so by no anonymous caller and never over BitTorrent.
                await client.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = key, ACL = S3CannedACL.AuthenticatedRead });
                break;
            case "acls-disabled":
                // Bucket ownership controls BucketOwnerEnforced turn ACLs off: the public-read ACL stops counting.
                await client.PutBucketOwnershipControlsAsync(new PutBucketOwnershipControlsRequest
                {
                    BucketName = bucket,
                    OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ObjectOwnership.BucketOwnerEnforced }] },
                });
                break;
        }

        var readable = state is "public-acl" or "public-policy" or "overwritten-public" or "versioned-old-private" or "versioned-old-made-private";
        var hashServed = state is "public-acl" or "public-policy" or "versioned-old-public" or "versioned-deleted";
        return new Subject(bucket, key, current, original, torrent.InfoHashes.V1.ToArray(), Encoding.UTF8.GetString(torrent.Name.Span), readable,
            hashServed, originalVersion);
    }

    private async Task ProbeS3Async(Subject s, string url, Action<bool, string, string> expect)
    {
        var (status, body) = await GetAsync(url);
        expect(s.Readable ? status == 200 && body.SequenceEqual(s.Current) : IsRefusal(status) && !Leaks(body, s), "GET", $"{status}");

        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, url)))
        {
            var code = (int)head.StatusCode;
            expect(s.Readable ? code == 200 : IsRefusal(code), "HEAD", $"{code}");
        }

        using (var ranged = new HttpRequestMessage(HttpMethod.Get, url))
        {
            ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(100, 1099);
            using var response = await http.SendAsync(ranged);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var code = (int)response.StatusCode;
            expect(s.Readable ? code == 206 && bytes.SequenceEqual(s.Current.AsSpan(100, 1000).ToArray()) : IsRefusal(code) && !Leaks(bytes, s), "GET Range", $"{code}");
        }

        (status, body) = await GetAsync(url + "?response-content-type=text%2Fplain&response-content-disposition=attachment");
        expect(status != 200 || (s.Readable && body.SequenceEqual(s.Current)), "GET response-*", $"{status}");
        expect(s.Readable || !Leaks(body, s), "GET response-*", "object bytes in the answer");

        (status, body) = await GetAsync(url + "?torrent");
        expect(s.Readable ? status == 200 : IsRefusal(status), "?torrent", $"{status}");
        (status, body) = await GetAsync(url + "?magnet");
        expect(s.Readable ? status == 200 : IsRefusal(status), "?magnet", $"{status}");
        (status, body) = await GetAsync(url + "?acl");
        expect(IsRefusal(status), "?acl (anonymous)", $"{status}");
        (status, body) = await GetAsync(url + "?attributes"); // without x-amz-object-attributes: 400 once authorized
        expect(s.Readable ? status == 400 : IsRefusal(status), "?attributes", $"{status}");
        (status, body) = await GetAsync(url + "?partNumber=1");
        expect(s.Readable ? status == 200 && body.SequenceEqual(s.Current) : IsRefusal(status) && !Leaks(body, s), "GET ?partNumber=1", $"{status}");
        (status, body) = await GetAsync(url + "?tagging");
        expect(IsRefusal(status), "?tagging (anonymous)", $"{status}");
        (status, body) = await GetAsync($"{Server.Endpoint}/{s.Bucket}?tagging");
        expect(IsRefusal(status), "bucket ?tagging (anonymous)", $"{status}");
        (status, body) = await GetAsync($"{Server.Endpoint}/{s.Bucket}?policyStatus");
        expect(IsRefusal(status), "bucket ?policyStatus (anonymous)", $"{status}");

        (status, body) = await GetAsync($"{Server.Endpoint}/{s.Bucket}?list-type=2");
        expect(IsRefusal(status) && !Encoding.UTF8.GetString(body).Contains(s.Key, StringComparison.Ordinal), "ListObjectsV2 (anonymous)", $"{status}");
        (status, body) = await GetAsync($"{Server.Endpoint}/{s.Bucket}");
        expect(IsRefusal(status) && !Encoding.UTF8.GetString(body).Contains(s.Key, StringComparison.Ordinal), "ListObjects (anonymous)", $"{status}");

        // Virtual-hosted style: the same object on its bucket's host.
        (status, body) = await RawGetAsync($"/{s.Key}", $"{s.Bucket}.{AuthorizationMatrixFixture.Domain}");
        expect(s.Readable ? status == 200 && body.SequenceEqual(s.Current) : IsRefusal(status) && !Leaks(body, s), "GET virtual-hosted", $"{status}");

        // Dot segments, sent as bytes (HttpClient would remove them): never a way around the key's own permissions.
        foreach (var path in (string[])[$"/{s.Bucket}/x/../{s.Key}", $"/{s.Bucket}/./{s.Key}", $"/{s.Bucket}/x/%2e%2e/{s.Key}", $"/x/../{s.Bucket}/{s.Key}"])
        {
            (status, body) = await RawGetAsync(path, new Uri(Server.Endpoint).Authority);
            expect(s.Readable || !Leaks(body, s), $"GET {path}", $"{status} with the object's bytes");
            expect(status != 500, $"GET {path}", "500");
        }
    }

    /// <summary>In a versioned bucket, the first version by its id: GET, HEAD, <c>?torrent</c> and <c>?magnet</c>.</summary>
    private async Task ProbeOriginalVersionAsync(Subject s, string url, Action<bool, string, string> expect)
    {
        if (s.OriginalVersion is not { } version)
        {
            return;
        }

        var (status, body) = await GetAsync($"{url}?versionId={version}");
        expect(s.HashServed ? status == 200 && body.SequenceEqual(s.Original) : IsRefusal(status) && !Leaks(body, s), "GET ?versionId (first)", $"{status}");
        using (var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{url}?versionId={version}")))
        {
            var code = (int)head.StatusCode;
            expect(s.HashServed ? code == 200 : IsRefusal(code), "HEAD ?versionId (first)", $"{code}");
        }

        (status, body) = await GetAsync($"{url}?torrent&versionId={version}");
        var sameHash = status == 200 && TorrentFile.Parse(body).InfoHashes.V1.Span.SequenceEqual(s.InfoHash);
        expect(s.HashServed ? sameHash : IsRefusal(status), "?torrent&versionId (first)", $"{status}");
        (status, _) = await GetAsync($"{url}?magnet&versionId={version}");
        expect(s.HashServed ? status == 200 : IsRefusal(status), "?magnet&versionId (first)", $"{status}");
    }

    private async Task ProbePresignedAsync(Subject s, Action<bool, string, string> expect)
    {
        var client = Server.CreateClient();
        string Presign(string key, DateTime expires) => client.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = s.Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = expires,
            Protocol = Protocol.HTTP,
        });

        var expired = Presign(s.Key, DateTime.UtcNow.AddSeconds(1));
        var valid = Presign(s.Key, DateTime.UtcNow.AddMinutes(5));
        var other = Presign("someone-else.bin", DateTime.UtcNow.AddMinutes(5));
        var signature = valid.IndexOf("X-Amz-Signature=", StringComparison.Ordinal) + "X-Amz-Signature=".Length;
        var tampered = valid[..signature] + (valid[signature] == '0' ? '1' : '0') + valid[(signature + 1)..];
        var swapped = other.Replace("/someone-else.bin", "/" + s.Key, StringComparison.Ordinal);
        // Well past its expiry: X-Amz-Date has whole seconds, and the SDK rounds X-Amz-Expires to the nearest second
        // after its own clock correction (one CI run of many saw the expired URL still valid after 2 s: a 404 for the
        // deleted object instead of the 403).
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        foreach (var (name, url) in new[] { ("expired", expired), ("tampered", tampered), ("swapped", swapped) })
        {
            var (status, body) = await GetAsync(url);
            expect(status == 403 && !Leaks(body, s), $"presigned URL {name}", $"{status}");
        }
    }

    private async Task ProbeTorrentPathsAsync(Subject s, Action<bool, string, string> expect)
    {
        var hex = Convert.ToHexStringLower(s.InfoHash);
        var escaped = string.Concat(s.InfoHash.Select(b => $"%{b:X2}"));
        var tracker = $"http://127.0.0.1:{fixture.TrackerPort}";
        var announce = await http.GetByteArrayAsync($"{tracker}/announce?info_hash={escaped}&peer_id=-TS0001-matrix000002&port=6881&uploaded=0&downloaded=0&left=1000&compact=1");
        var failed = Encoding.Latin1.GetString(announce).Contains("failure reason", StringComparison.Ordinal);
        expect(s.HashServed ? !failed : failed, "HTTP announce", Encoding.Latin1.GetString(announce));

        var scrape = await http.GetByteArrayAsync($"{tracker}/scrape?info_hash={escaped}");
        var listed = Encoding.Latin1.GetString(scrape).Contains(Encoding.Latin1.GetString(s.InfoHash), StringComparison.Ordinal);
        expect(s.HashServed == listed, "HTTP scrape", Encoding.Latin1.GetString(scrape));

        var udpAnnounce = await UdpTrackerClient.AnnounceAsync(fixture.TrackerPort, s.InfoHash);
        expect(s.HashServed ? udpAnnounce.Action == 1 : udpAnnounce.Action == 3, "UDP announce", $"action {udpAnnounce.Action} {udpAnnounce.Error}");
        var udpScrape = await UdpTrackerClient.ScrapeAsync(fixture.TrackerPort, s.InfoHash);
        expect(udpScrape.Action == 2 && (s.HashServed ? udpScrape.Seeders >= 1 : udpScrape.Seeders == 0), "UDP scrape", $"action {udpScrape.Action}, {udpScrape.Seeders} seeders");

        var probe = (await RawPeer.HandshakeAsync(fixture.Peer, hex))[hex];
        expect(s.HashServed ? probe.Reply : !probe.Reply && probe.Closed, "seeder handshake", $"reply {probe.Reply}, closed {probe.Closed}");

        // Served: the bytes, or (thrifty origin, a crowd of our announces) a "not now" 206 with the first of them.
        var (status, body) = await GetAsync($"{Server.Endpoint}/_seed/{hex}/{Uri.EscapeDataString(s.Name)}");
        var servedAnswer = (status == 200 && body.SequenceEqual(s.Original)) || (status == 206 && body.Length > 0 && s.Original.AsSpan().StartsWith(body));
        expect(s.HashServed ? servedAnswer : status == 404 && !Leaks(body, s), "web seed", $"{status}, {body.Length} bytes");
    }

    private static bool IsRefusal(int status) => status is 403 or 404;

    /// <summary>True when a body carries bytes of the object (old or new): any 64-byte run of either.</summary>
    private static bool Leaks(byte[] body, Subject s) =>
        body.Length >= 64 && ((s.Original.Length >= 64 && body.AsSpan().IndexOf(s.Original.AsSpan(1000, 64)) >= 0)
            || (s.Current.Length >= 64 && body.AsSpan().IndexOf(s.Current.AsSpan(1000, 64)) >= 0));

    private async Task<(int Status, byte[] Body)> GetAsync(string url)
    {
        using var response = await http.GetAsync(url);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>One HTTP/1.1 GET written byte for byte (no normalization of the target), with this Host header.</summary>
    private async Task<(int Status, byte[] Body)> RawGetAsync(string target, string host)
    {
        var endpoint = new Uri(Server.Endpoint);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint.Host, endpoint.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        using var received = new MemoryStream();
        var buffer = new byte[65536];
        int read;
        while ((read = await socket.ReceiveAsync(buffer)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var all = received.ToArray();
        var headerEnd = all.AsSpan().IndexOf("\r\n\r\n"u8);
        var status = int.Parse(Encoding.ASCII.GetString(all, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
        return (status, headerEnd < 0 ? [] : all[(headerEnd + 4)..]);
    }

    private async Task<TorrentFile> OwnerTorrentAsync(string bucket, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Torrents.ObjectUrl(Server, bucket, key)}?torrent");
        SigV4TestSigner.Sign(request, [], Server.AccessKey, Server.SecretKey);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"owner ?torrent: {response.StatusCode} {Encoding.UTF8.GetString(body)}");
        return TorrentFile.Parse(body);
    }

    private static async Task OwnerGetAsync(AmazonS3Client client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        await response.ResponseStream.CopyToAsync(Stream.Null);
    }
}
