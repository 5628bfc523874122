using System.Text.Json;

namespace Peerbucket.Interop.Tests;

/// <summary>The aws cli on PATH (1.x with botocore's default checksums: x-amz-checksum-crc32, Expect: 100-continue).</summary>
[Collection(ServerCollection.Name)]
public sealed class AwsCliTests(ServerFixture fixture) : IDisposable
{
    private readonly TempDirectory home = new("pb-awscli");

    public void Dispose() => home.Dispose();

    [RequiresToolFact("aws")]
    public async Task CpSmallAndMultipartFilesThenLsAndCpBackGivesSameBytes()
    {
        var bucket = fixture.NewBucketName("cli-cp");
        var small = Files.Write(home.Combine("up", "small.txt"), "small object via aws cli\n"u8.ToArray());
        var bigBytes = Files.RandomBytes(20 * Files.MiB, seed: 201);
        var big = Files.Write(home.Combine("up", "big.bin"), bigBytes);

        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3", "cp", small, $"s3://{bucket}/small.txt");
        await AwsAsync("s3", "cp", big, $"s3://{bucket}/nested/big.bin");

        var ls = await AwsAsync("s3", "ls", "--recursive", $"s3://{bucket}");
        Assert.Contains("small.txt", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains("nested/big.bin", ls.Stdout, StringComparison.Ordinal);
        Assert.Contains(bigBytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ls.Stdout, StringComparison.Ordinal);

        var head = JsonDocument.Parse((await AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "nested/big.bin")).Stdout);
        Assert.Matches("-[0-9]+\"$", head.RootElement.GetProperty("ETag").GetString());

        await AwsAsync("s3", "cp", $"s3://{bucket}/small.txt", home.Combine("down", "small.txt"));
        await AwsAsync("s3", "cp", $"s3://{bucket}/nested/big.bin", home.Combine("down", "big.bin"));
        Assert.Equal(File.ReadAllBytes(small), File.ReadAllBytes(home.Combine("down", "small.txt")));
        Assert.Equal(bigBytes, File.ReadAllBytes(home.Combine("down", "big.bin")));
    }

    [RequiresToolFact("aws")]
    public async Task SyncUpAndBackDownRoundTripsTreeAndRmRecursiveEmptiesBucket()
    {
        var bucket = fixture.NewBucketName("cli-sync");
        var source = home.Combine("tree");
        Files.Write(Path.Combine(source, "a.txt"), "alpha"u8.ToArray());
        Files.Write(Path.Combine(source, "sub", "b.bin"), Files.RandomBytes(70_000, seed: 202));
        Files.Write(Path.Combine(source, "sub", "deeper", "c.txt"), "gamma"u8.ToArray());
        Files.Write(Path.Combine(source, "empty.txt"), []);

        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3", "sync", source, $"s3://{bucket}/tree");
        var back = home.Combine("back");
        await AwsAsync("s3", "sync", $"s3://{bucket}/tree", back);
        Assert.Equal(Files.ReadTree(source), Files.ReadTree(back));

        var again = await AwsAsync("s3", "sync", source, $"s3://{bucket}/tree");
        Assert.DoesNotContain("upload:", again.Stdout, StringComparison.Ordinal);

        await AwsAsync("s3", "rm", "--recursive", $"s3://{bucket}/tree");
        var list = JsonDocument.Parse((await AwsAsync("s3api", "list-objects-v2", "--bucket", bucket)).Stdout is { Length: > 0 } json ? json : "{}");
        Assert.False(list.RootElement.TryGetProperty("Contents", out _), "bucket still lists objects after rm --recursive");
        await AwsAsync("s3", "rb", $"s3://{bucket}");
    }

    [RequiresToolFact("aws")]
    public async Task S3apiVersioningKeepsVersionsListsThemAndReadsAndDeletesByVersionId()
    {
        var bucket = fixture.NewBucketName("cli-ver");
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        var status = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-versioning", "--bucket", bucket)).Stdout);
        Assert.Equal("Enabled", status.RootElement.GetProperty("Status").GetString());

        var first = Files.Write(home.Combine("v1.txt"), "first"u8.ToArray());
        var second = Files.Write(home.Combine("v2.txt"), "second"u8.ToArray());
        var v1 = JsonDocument.Parse((await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "f.txt", "--body", first)).Stdout)
            .RootElement.GetProperty("VersionId").GetString()!;
        var v2 = JsonDocument.Parse((await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "f.txt", "--body", second)).Stdout)
            .RootElement.GetProperty("VersionId").GetString()!;
        Assert.NotEqual(v1, v2);

        var versions = JsonDocument.Parse((await AwsAsync("s3api", "list-object-versions", "--bucket", bucket)).Stdout).RootElement.GetProperty("Versions");
        Assert.Equal([v2, v1], versions.EnumerateArray().Select(v => v.GetProperty("VersionId").GetString()));
        Assert.True(versions[0].GetProperty("IsLatest").GetBoolean());

        await AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "f.txt", "--version-id", v1, home.Combine("got-v1"));
        Assert.Equal("first", File.ReadAllText(home.Combine("got-v1")));

        var deleted = JsonDocument.Parse((await AwsAsync("s3api", "delete-object", "--bucket", bucket, "--key", "f.txt")).Stdout).RootElement;
        Assert.True(deleted.GetProperty("DeleteMarker").GetBoolean());
        var markers = JsonDocument.Parse((await AwsAsync("s3api", "list-object-versions", "--bucket", bucket)).Stdout).RootElement.GetProperty("DeleteMarkers");
        Assert.Equal(deleted.GetProperty("VersionId").GetString(), markers[0].GetProperty("VersionId").GetString());
        var hidden = await AwsRawAsync("s3api", "head-object", "--bucket", bucket, "--key", "f.txt");
        Assert.NotEqual(0, hidden.ExitCode);
        Assert.Contains("404", hidden.Stderr, StringComparison.Ordinal);

        await AwsAsync("s3api", "delete-object", "--bucket", bucket, "--key", "f.txt", "--version-id", deleted.GetProperty("VersionId").GetString()!);
        await AwsAsync("s3", "cp", $"s3://{bucket}/f.txt", home.Combine("got-current"));
        Assert.Equal("second", File.ReadAllText(home.Combine("got-current")));
    }

    [RequiresToolFact("aws")]
    public async Task S3apiObjectLockKeepsALockedVersionUntilItsRetentionIsBypassedAndItsLegalHoldLifted()
    {
        var bucket = fixture.NewBucketName("cli-lock");
        await AwsAsync("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
        var versioning = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-versioning", "--bucket", bucket)).Stdout);
        Assert.Equal("Enabled", versioning.RootElement.GetProperty("Status").GetString());
        await AwsAsync("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
            """{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}""");
        var configuration = JsonDocument.Parse((await AwsAsync("s3api", "get-object-lock-configuration", "--bucket", bucket)).Stdout)
            .RootElement.GetProperty("ObjectLockConfiguration").GetProperty("Rule").GetProperty("DefaultRetention");
        Assert.Equal(("GOVERNANCE", 1), (configuration.GetProperty("Mode").GetString(), configuration.GetProperty("Days").GetInt32()));

        var body = Files.Write(home.Combine("locked.bin"), "kept for a day"u8.ToArray());
        var version = JsonDocument.Parse((await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "locked.bin", "--body", body)).Stdout)
            .RootElement.GetProperty("VersionId").GetString()!;
        var head = JsonDocument.Parse((await AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "locked.bin")).Stdout).RootElement;
        Assert.Equal("GOVERNANCE", head.GetProperty("ObjectLockMode").GetString());
        var until = head.GetProperty("ObjectLockRetainUntilDate").GetDateTimeOffset();
        Assert.InRange(until, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));

        // The object's HEAD says its torrent is permanent while the lock holds (anonymous: the object is public).
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "public.bin", "--body", body, "--acl", "public-read",
            "--object-lock-legal-hold-status", "ON");
        using (var http = new HttpClient())
        using (var anonymous = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{fixture.Endpoint}/{bucket}/public.bin")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, anonymous.StatusCode);
            Assert.Equal("legal-hold", anonymous.Headers.GetValues("x-peerbucket-torrent-permanent").Single());
            Assert.Equal("ON", anonymous.Headers.GetValues("x-amz-object-lock-legal-hold").Single());
        }

        await AwsAsync("s3api", "put-object-legal-hold", "--bucket", bucket, "--key", "public.bin", "--legal-hold", "Status=OFF");
        var refused = await AwsRawAsync("s3api", "delete-object", "--bucket", bucket, "--key", "locked.bin", "--version-id", version);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("AccessDenied", refused.Stderr, StringComparison.Ordinal);

        await AwsAsync("s3api", "put-object-legal-hold", "--bucket", bucket, "--key", "locked.bin", "--legal-hold", "Status=ON");
        var held = await AwsRawAsync("s3api", "delete-object", "--bucket", bucket, "--key", "locked.bin", "--version-id", version,
            "--bypass-governance-retention");
        Assert.NotEqual(0, held.ExitCode);
        Assert.Contains("AccessDenied", held.Stderr, StringComparison.Ordinal);

        await AwsAsync("s3api", "put-object-legal-hold", "--bucket", bucket, "--key", "locked.bin", "--legal-hold", "Status=OFF");
        await AwsAsync("s3api", "delete-object", "--bucket", bucket, "--key", "locked.bin", "--version-id", version, "--bypass-governance-retention");
        var left = JsonDocument.Parse((await AwsAsync("s3api", "list-object-versions", "--bucket", bucket, "--prefix", "locked")).Stdout is { Length: > 0 } json ? json : "{}");
        Assert.False(left.RootElement.TryGetProperty("Versions", out _), "the version is still listed after its bypassed delete");
    }

    [RequiresToolFact("aws", "curl")]
    public async Task S3apiOwnershipControlsBucketOwnerEnforcedTurnsAclsOff()
    {
        var bucket = fixture.NewBucketName("cli-own");
        var body = Files.Write(home.Combine("own.txt"), "owned by the bucket owner"u8.ToArray());
        await AwsAsync("s3api", "create-bucket", "--bucket", bucket, "--object-ownership", "BucketOwnerEnforced");
        var controls = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-ownership-controls", "--bucket", bucket)).Stdout);
        Assert.Equal("BucketOwnerEnforced", controls.RootElement.GetProperty("OwnershipControls").GetProperty("Rules")[0].GetProperty("ObjectOwnership").GetString());

        var refused = await AwsRawAsync("s3api", "put-object", "--bucket", bucket, "--key", "own.txt", "--body", body, "--acl", "public-read");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("AccessControlListNotSupported", refused.Stderr, StringComparison.Ordinal);
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "own.txt", "--body", body, "--acl", "bucket-owner-full-control");

        // ACLs back on, the object made public-read; then enforced again: the ACL no longer counts.
        await AwsAsync("s3api", "delete-bucket-ownership-controls", "--bucket", bucket);
        await AwsAsync("s3api", "put-object-acl", "--bucket", bucket, "--key", "own.txt", "--acl", "public-read");
        Assert.Equal(200, await Curl.GetAsync($"{fixture.Endpoint}/{bucket}/own.txt", home.Combine("anon-1")));
        await AwsAsync("s3api", "put-bucket-ownership-controls", "--bucket", bucket, "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerEnforced}]");
        Assert.Equal(403, await Curl.GetAsync($"{fixture.Endpoint}/{bucket}/own.txt", home.Combine("anon-2")));
    }

    [RequiresToolFact("aws", "curl")]
    public async Task PublicReadObjectIsAnonymouslyReadableAndPrivateObjectIsNot()
    {
        var bucket = fixture.NewBucketName("cli-acl");
        var body = Files.Write(home.Combine("public.txt"), "everyone may read this"u8.ToArray());
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "public.txt", "--body", body, "--acl", "public-read");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "private.txt", "--body", body);

        var got = home.Combine("anon-public");
        Assert.Equal(200, await Curl.GetAsync($"{fixture.Endpoint}/{bucket}/public.txt", got));
        Assert.Equal(File.ReadAllBytes(body), File.ReadAllBytes(got));

        var denied = home.Combine("anon-private");
        Assert.Equal(403, await Curl.GetAsync($"{fixture.Endpoint}/{bucket}/private.txt", denied));
        Assert.Contains("<Code>AccessDenied</Code>", File.ReadAllText(denied), StringComparison.Ordinal);
    }

    [RequiresToolFact("aws")]
    public async Task S3apiRangedGetListObjectsV2AndHeadObjectReturnExactValues()
    {
        var bucket = fixture.NewBucketName("cli-api");
        var data = Files.RandomBytes(5000, seed: 203);
        var body = Files.Write(home.Combine("obj.bin"), data);
        await AwsAsync("s3api", "create-bucket", "--bucket", bucket);
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "x/obj.bin", "--body", body,
            "--content-type", "application/x-test", "--metadata", "purpose=interop");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "x/two.bin", "--body", body);
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "y.bin", "--body", body);

        var ranged = home.Combine("ranged.bin");
        var get = JsonDocument.Parse((await AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "x/obj.bin", "--range", "bytes=10-99", ranged)).Stdout);
        Assert.Equal(data[10..100], File.ReadAllBytes(ranged));
        Assert.Equal("bytes 10-99/5000", get.RootElement.GetProperty("ContentRange").GetString());

        var list = JsonDocument.Parse((await AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "x/")).Stdout);
        Assert.Equal(["x/obj.bin", "x/two.bin"], list.RootElement.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));

        var delimited = JsonDocument.Parse((await AwsAsync("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/")).Stdout);
        Assert.Equal(["x/"], delimited.RootElement.GetProperty("CommonPrefixes").EnumerateArray().Select(o => o.GetProperty("Prefix").GetString()));
        Assert.Equal(["y.bin"], delimited.RootElement.GetProperty("Contents").EnumerateArray().Select(o => o.GetProperty("Key").GetString()));

        var head = JsonDocument.Parse((await AwsAsync("s3api", "head-object", "--bucket", bucket, "--key", "x/obj.bin")).Stdout).RootElement;
        Assert.Equal(5000, head.GetProperty("ContentLength").GetInt64());
        Assert.Equal("application/x-test", head.GetProperty("ContentType").GetString());
        Assert.Equal("interop", head.GetProperty("Metadata").GetProperty("purpose").GetString());
        Assert.Equal($"\"{Files.Md5Hex(data)}\"", head.GetProperty("ETag").GetString());

        var missing = await AwsRawAsync("s3api", "head-object", "--bucket", bucket, "--key", "nope");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("404", missing.Stderr, StringComparison.Ordinal);
    }

    [RequiresToolFact("aws", "curl")]
    public async Task SigV4PresignedUrlFetchesObjectWithCurl()
    {
        var bucket = fixture.NewBucketName("cli-presign");
        var data = Files.RandomBytes(3000, seed: 204);
        var body = Files.Write(home.Combine("p.bin"), data);
        await AwsAsync("configure", "set", "default.s3.signature_version", "s3v4");
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3", "cp", body, $"s3://{bucket}/dir/p.bin");

        var url = (await AwsAsync("s3", "presign", $"s3://{bucket}/dir/p.bin", "--expires-in", "300")).Stdout.Trim();
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);
        var got = home.Combine("presigned.bin");
        Assert.Equal(200, await Curl.GetAsync(url, got));
        Assert.Equal(data, File.ReadAllBytes(got));

        var tampered = home.Combine("tampered.bin");
        Assert.Equal(403, await Curl.GetAsync(url.Replace("dir/p.bin", "dir/q.bin", StringComparison.Ordinal), tampered));
    }

    [RequiresToolFact("aws")]
    public async Task ObjectAndBucketTaggingRoundTripWithinS3sLimits()
    {
        var bucket = fixture.NewBucketName("cli-tags");
        var body = Files.Write(home.Combine("t.txt"), "tagged"u8.ToArray());
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "t.txt", "--body", body, "--tagging", "team=data&stage=raw%20v1");
        var tags = JsonDocument.Parse((await AwsAsync("s3api", "get-object-tagging", "--bucket", bucket, "--key", "t.txt")).Stdout);
        Assert.Equal(["stage=raw v1", "team=data"], tags.RootElement.GetProperty("TagSet").EnumerateArray()
            .Select(t => t.GetProperty("Key").GetString() + "=" + t.GetProperty("Value").GetString()));
        var head = JsonDocument.Parse((await AwsAsync("s3api", "get-object", "--bucket", bucket, "--key", "t.txt", home.Combine("t.down"))).Stdout);
        Assert.Equal(2, head.RootElement.GetProperty("TagCount").GetInt32());

        await AwsAsync("s3api", "put-object-tagging", "--bucket", bucket, "--key", "t.txt", "--tagging", "TagSet=[{Key=only,Value=one}]");
        tags = JsonDocument.Parse((await AwsAsync("s3api", "get-object-tagging", "--bucket", bucket, "--key", "t.txt")).Stdout);
        Assert.Equal("only", tags.RootElement.GetProperty("TagSet")[0].GetProperty("Key").GetString());
        var eleven = string.Join(',', Enumerable.Range(0, 11).Select(i => $"{{Key=k{i},Value=v}}"));
        var tooMany = await AwsRawAsync("s3api", "put-object-tagging", "--bucket", bucket, "--key", "t.txt", "--tagging", $"TagSet=[{eleven}]");
        Assert.NotEqual(0, tooMany.ExitCode);
        Assert.Contains("InvalidTag", tooMany.Stderr, StringComparison.Ordinal);
        await AwsAsync("s3api", "delete-object-tagging", "--bucket", bucket, "--key", "t.txt");
        tags = JsonDocument.Parse((await AwsAsync("s3api", "get-object-tagging", "--bucket", bucket, "--key", "t.txt")).Stdout);
        Assert.Equal(0, tags.RootElement.GetProperty("TagSet").GetArrayLength());

        var none = await AwsRawAsync("s3api", "get-bucket-tagging", "--bucket", bucket);
        Assert.Contains("NoSuchTagSet", none.Stderr, StringComparison.Ordinal);
        await AwsAsync("s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", "TagSet=[{Key=cost-centre,Value=42}]");
        var bucketTags = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-tagging", "--bucket", bucket)).Stdout);
        Assert.Equal("42", bucketTags.RootElement.GetProperty("TagSet")[0].GetProperty("Value").GetString());
        await AwsAsync("s3api", "delete-bucket-tagging", "--bucket", bucket);
        Assert.Contains("NoSuchTagSet", (await AwsRawAsync("s3api", "get-bucket-tagging", "--bucket", bucket)).Stderr, StringComparison.Ordinal);
    }

    /// <summary>Block Public Access set with aws cli: IgnorePublicAcls makes a public-read object private for every
    /// anonymous path (GET, ?torrent) until the block is deleted; BlockPublicAcls refuses making anything public.</summary>
    [RequiresToolFact("aws", "curl")]
    public async Task PublicAccessBlockIgnoresAndRefusesPublicAcls()
    {
        var bucket = fixture.NewBucketName("cli-pab");
        var body = Files.Write(home.Combine("p.txt"), "public until blocked"u8.ToArray());
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "p.txt", "--body", body, "--acl", "public-read");
        var url = $"{fixture.Endpoint}/{bucket}/p.txt";
        Assert.Equal(200, await Curl.GetAsync(url, home.Combine("before")));

        await AwsAsync("s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration",
            "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
        var config = JsonDocument.Parse((await AwsAsync("s3api", "get-public-access-block", "--bucket", bucket)).Stdout)
            .RootElement.GetProperty("PublicAccessBlockConfiguration");
        Assert.True(config.GetProperty("IgnorePublicAcls").GetBoolean());
        Assert.Equal(403, await Curl.GetAsync(url, home.Combine("blocked")));
        Assert.Equal(403, await Curl.GetAsync(url + "?torrent", home.Combine("blocked.torrent")));
        var refused = await AwsRawAsync("s3api", "put-object-acl", "--bucket", bucket, "--key", "p.txt", "--acl", "public-read");
        Assert.Contains("AccessDenied", refused.Stderr, StringComparison.Ordinal);
        var policy = $$"""{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
        Assert.Contains("AccessDenied", (await AwsRawAsync("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", policy)).Stderr, StringComparison.Ordinal);

        await AwsAsync("s3api", "delete-public-access-block", "--bucket", bucket);
        Assert.Contains("NoSuchPublicAccessBlockConfiguration", (await AwsRawAsync("s3api", "get-public-access-block", "--bucket", bucket)).Stderr, StringComparison.Ordinal);
        Assert.Equal(200, await Curl.GetAsync(url, home.Combine("after")));
    }

    /// <summary>A CORS configuration set with aws cli governs what a browser may do: the preflight (curl as the browser)
    /// and the headers on the actual GET, ETag exposed; an origin no rule allows gets no CORS headers.</summary>
    [RequiresToolFact("aws", "curl")]
    public async Task BucketCorsAnswersPreflightsAndActualRequests()
    {
        var bucket = fixture.NewBucketName("cli-cors");
        var body = Files.Write(home.Combine("c.txt"), "cors"u8.ToArray());
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3api", "put-object", "--bucket", bucket, "--key", "c.txt", "--body", body, "--acl", "public-read");
        var config = Files.Write(home.Combine("cors.json"), """
            {"CORSRules": [{"AllowedOrigins": ["https://*.example.org"], "AllowedMethods": ["GET", "HEAD"], "AllowedHeaders": ["range", "x-amz-*"],
              "ExposeHeaders": ["ETag", "Content-Range", "Accept-Ranges"], "MaxAgeSeconds": 600}]}
            """u8.ToArray());
        await AwsAsync("s3api", "put-bucket-cors", "--bucket", bucket, "--cors-configuration", $"file://{config}");
        var rules = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-cors", "--bucket", bucket)).Stdout).RootElement.GetProperty("CORSRules");
        Assert.Equal("https://*.example.org", rules[0].GetProperty("AllowedOrigins")[0].GetString());

        var url = $"{fixture.Endpoint}/{bucket}/c.txt";
        var preflight = await CurlHeadersAsync("-X", "OPTIONS", "-H", "Origin: https://app.example.org", "-H", "Access-Control-Request-Method: GET",
            "-H", "Access-Control-Request-Headers: range", url);
        Assert.Contains("HTTP/1.1 200", preflight, StringComparison.Ordinal);
        Assert.Contains("access-control-allow-origin: https://app.example.org", preflight, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("access-control-allow-headers: range", preflight, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("access-control-max-age: 600", preflight, StringComparison.OrdinalIgnoreCase);
        var refused = await CurlHeadersAsync("-X", "OPTIONS", "-H", "Origin: https://evil.test", "-H", "Access-Control-Request-Method: GET", url);
        Assert.Contains("HTTP/1.1 403", refused, StringComparison.Ordinal);

        var actual = await CurlHeadersAsync("-H", "Origin: https://app.example.org", url);
        Assert.Contains("access-control-expose-headers: ETag, Content-Range, Accept-Ranges", actual, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("access-control-allow-origin", await CurlHeadersAsync("-H", "Origin: https://evil.test", url), StringComparison.OrdinalIgnoreCase);

        await AwsAsync("s3api", "delete-bucket-cors", "--bucket", bucket);
        Assert.Contains("NoSuchCORSConfiguration", (await AwsRawAsync("s3api", "get-bucket-cors", "--bucket", bucket)).Stderr, StringComparison.Ordinal);
    }

    private async Task<string> CurlHeadersAsync(params string[] arguments) =>
        (await Tool.RunCheckedAsync("curl", ["-sS", "--noproxy", "*", "-D", "-", "-o", "/dev/null", .. arguments])).Stdout;

    /// <summary>What Terraform/OpenTofu's bucket resource reads on every plan: each subresource answers as S3 does when
    /// nothing is configured, never 501.</summary>
    [RequiresToolFact("aws")]
    public async Task UnsetBucketSubresourcesAnswerAsS3Does()
    {
        var bucket = fixture.NewBucketName("cli-unset");
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        foreach (var (command, code) in new[]
        {
            ("get-bucket-cors", "NoSuchCORSConfiguration"), ("get-bucket-website", "NoSuchWebsiteConfiguration"),
            ("get-bucket-lifecycle-configuration", "NoSuchLifecycleConfiguration"), ("get-bucket-replication", "ReplicationConfigurationNotFoundError"),
            ("get-bucket-encryption", "ServerSideEncryptionConfigurationNotFoundError"), ("get-object-lock-configuration", "ObjectLockConfigurationNotFoundError"),
            ("get-bucket-ownership-controls", "OwnershipControlsNotFoundError"), ("get-public-access-block", "NoSuchPublicAccessBlockConfiguration"),
            ("get-bucket-tagging", "NoSuchTagSet"), ("get-bucket-policy", "NoSuchBucketPolicy"),
        })
        {
            var result = await AwsRawAsync("s3api", command, "--bucket", bucket);
            Assert.True(result.ExitCode != 0 && result.Stderr.Contains($"({code})", StringComparison.Ordinal), $"{command}: exit {result.ExitCode}, {result.Stderr}");
        }

        foreach (var command in new[] { "get-bucket-logging", "get-bucket-request-payment", "get-bucket-accelerate-configuration", "get-bucket-notification-configuration", "get-bucket-versioning" })
        {
            await AwsAsync("s3api", command, "--bucket", bucket);
        }

        var status = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-policy-status", "--bucket", bucket)).Stdout);
        Assert.False(status.RootElement.GetProperty("PolicyStatus").GetProperty("IsPublic").GetBoolean());
        var payer = JsonDocument.Parse((await AwsAsync("s3api", "get-bucket-request-payment", "--bucket", bucket)).Stdout);
        Assert.Equal("BucketOwner", payer.RootElement.GetProperty("Payer").GetString());
        await AwsAsync("s3api", "delete-bucket-cors", "--bucket", bucket);
        var setting = await AwsRawAsync("s3api", "put-bucket-website", "--bucket", bucket, "--website-configuration", "IndexDocument={Suffix=index.html}");
        Assert.Contains("NotImplemented", setting.Stderr, StringComparison.Ordinal); // not stored: the store would not act on it
    }

    /// <summary>`aws s3 presign` with default settings: aws cli v1 signs it with Signature Version 2 (AWSAccessKeyId,
    /// Expires, Signature); the printed link works with curl, and a tampered one does not.</summary>
    [RequiresToolFact("aws", "curl")]
    public async Task DefaultPresignedUrlWorksWithCurl()
    {
        var bucket = fixture.NewBucketName("cli-presign2");
        var data = Files.RandomBytes(2000, seed: 205);
        var body = Files.Write(home.Combine("p2.bin"), data);
        await AwsAsync("s3", "mb", $"s3://{bucket}");
        await AwsAsync("s3", "cp", body, $"s3://{bucket}/dir/p 2.bin");

        var url = (await AwsAsync("s3", "presign", $"s3://{bucket}/dir/p 2.bin", "--expires-in", "300")).Stdout.Trim();
        Assert.Contains("AWSAccessKeyId=", url, StringComparison.Ordinal); // Signature Version 2, aws cli v1's default
        var got = home.Combine("presigned2.bin");
        Assert.Equal(200, await Curl.GetAsync(url, got));
        Assert.Equal(data, File.ReadAllBytes(got));
        var tampered = url.Replace("Signature=", "Signature=A", StringComparison.Ordinal);
        Assert.Equal(403, await Curl.GetAsync(tampered, home.Combine("tampered2.bin")));
    }

    private Task<ToolResult> AwsRawAsync(params string[] arguments) =>
        Tool.RunAsync("aws", ["--endpoint-url", fixture.Endpoint, .. arguments], ToolEnvironment.ForS3(fixture.Server, home.Path));

    private async Task<ToolResult> AwsAsync(params string[] arguments)
    {
        var result = await AwsRawAsync(arguments);
        result.AssertExitCode(0);
        return result;
    }
}
