using System.Net;
using System.Security.Cryptography;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>Error handling seen over raw HTTP (HttpClient), anonymous or signed by an independent SigV4 signer.</summary>
[Collection(ServerCollection.Name)]
public sealed class RawHttpErrorTests(ServerFixture fixture) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public void Dispose() => http.Dispose();

    [Fact]
    public async Task MalformedDeleteObjectsXmlIsMalformedXmlErrorNot500()
    {
        var bucket = await CreateBucketAsync("raw-delxml");
        var body = "<Delete><Object><Key>unterminated</Key></Object"u8.ToArray();
        using var response = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body, contentMd5: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Error>", text, StringComparison.Ordinal);
        Assert.Contains("<Code>MalformedXML</Code>", text, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    /// <summary>Browser POST forms that are not well formed answer 400 and store nothing, even where anyone may write
    /// (public-read-write): a file part that never ends with the form's boundary (it once threw from the multipart
    /// reader: a 500), no file part, not a multipart form.</summary>
    [Theory]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk.txt\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nno closing boundary", "multipart/form-data; boundary=B", "MalformedPOSTRequest")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk.txt\r\n--B--\r\n", "multipart/form-data; boundary=B", "InvalidArgument")]
    [InlineData("key=k.txt", "application/x-www-form-urlencoded", "PreconditionFailed")]
    public async Task AMalformedPostFormIsA4xxErrorNot500AndStoresNothing(string body, string contentType, string code)
    {
        var bucket = fixture.NewBucketName("raw-post");
        await fixture.CreateClient().PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = Amazon.S3.S3CannedACL.PublicReadWrite });
        using var content = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await http.PostAsync($"{fixture.Endpoint}/{bucket}", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 412, $"{(int)response.StatusCode}: {text}");
        Assert.Contains($"<Code>{code}</Code>", text, StringComparison.Ordinal);
        var listed = await fixture.CreateClient().ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listed.S3Objects ?? []);
    }

    [Fact]
    public async Task DeleteObjectsWithoutContentMd5OrChecksumIsInvalidRequestAndDeletesNothing()
    {
        var bucket = await CreateBucketAsync("raw-delmd5");
        using var client = fixture.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var body = "<Delete><Object><Key>k</Key></Object></Delete>"u8.ToArray();
        using var response = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Code>InvalidRequest</Code><Message>Missing required header for this request: Content-MD5</Message>", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetObjectMetadataAsync(bucket, "k")).HttpStatusCode);
    }

    [Fact]
    public async Task DeleteObjectsWithContentMd5OfOtherBytesIsBadDigestAndDeletesNothing()
    {
        var bucket = await CreateBucketAsync("raw-delbad");
        using var client = fixture.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var body = "<Delete><Object><Key>k</Key></Object></Delete>"u8.ToArray();
        using var response = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body,
            prepare: r => r.Content!.Headers.ContentMD5 = MD5.HashData("<Delete><Object><Key>other</Key></Object></Delete>"u8.ToArray()));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Code>BadDigest</Code>", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetObjectMetadataAsync(bucket, "k")).HttpStatusCode);
    }

    [Fact]
    public async Task DeleteObjectsWithAChecksumHeaderInsteadOfContentMd5IsCheckedAgainstTheBody()
    {
        var bucket = await CreateBucketAsync("raw-delcrc");
        using var client = fixture.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        var body = "<Delete><Object><Key>k</Key></Object></Delete>"u8.ToArray();
        var crc32 = Convert.ToBase64String(Enumerable.Reverse(System.IO.Hashing.Crc32.Hash(body)).ToArray());
        using (var wrong = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body,
            prepare: r => r.Headers.TryAddWithoutValidation("x-amz-checksum-crc32", "AAAAAA==")))
        {
            var text = await wrong.Content.ReadAsStringAsync();
            Assert.True(wrong.StatusCode == HttpStatusCode.BadRequest, $"wrong crc32: {(int)wrong.StatusCode}: {text}");
            Assert.Contains("<Code>BadDigest</Code>", text, StringComparison.Ordinal);
        }

        using var right = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body,
            prepare: r => r.Headers.TryAddWithoutValidation("x-amz-checksum-crc32", crc32));
        var deleted = await right.Content.ReadAsStringAsync();
        Assert.True(right.StatusCode == HttpStatusCode.OK, $"right crc32: {(int)right.StatusCode}: {deleted}");
        Assert.Contains("<Deleted><Key>k</Key></Deleted>", deleted, StringComparison.Ordinal);
    }

    /// <summary>The hardening issue's body: 300 KB, 100,000 nested elements; XElement.Load spent 34 s of CPU on it.</summary>
    [Fact]
    public async Task DeleteObjectsBodyNestedHundredThousandDeepIsMalformedXmlAtOnce()
    {
        var bucket = await CreateBucketAsync("raw-deep");
        var body = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<a>", 100_000)) + string.Concat(Enumerable.Repeat("</a>", 100_000)));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await SendSignedAsync(HttpMethod.Post, $"/{bucket}?delete", body, contentMd5: true);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Code>MalformedXML</Code>", text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("/{0}/a%01b", 404, "<Key>a&#x1;b</Key><Resource>/{0}/a&#x1;b</Resource>")]
    [InlineData("/{0}-none/a%01b", 404, "<Resource>/{0}-none/a&#x1;b</Resource>")]
    [InlineData("/a%01b/k", 400, "<Message>The specified bucket is not valid: a&#x1;b</Message>")]
    [InlineData("/{0}/k?torrent&format=%01", 400, "<ArgumentValue>&#x1;</ArgumentValue>")]
    [InlineData("/{0}?max-keys=%01", 400, "<ArgumentValue>&#x1;</ArgumentValue>")]
    [InlineData("/{0}?list-type=2&start-after=%0f%0d", 200, "<StartAfter>&#xF;&#xD;</StartAfter>")]
    public async Task ErrorsAndListingsEchoingControlCharactersAnswerXmlWithCharacterReferencesNot500(string target, int status, string expected)
    {
        var bucket = await CreatePublicBucketAsync("raw-ctl");
        using var response = await http.GetAsync(fixture.Endpoint + string.Format(System.Globalization.CultureInfo.InvariantCulture, target, bucket));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("""<?xml version="1.0" encoding="utf-8"?>""", text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, bucket), text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Statement": {"Effect": "\u0000"}}""")]
    [InlineData("""{"Statement": {"Effect": 7}}""")]
    [InlineData("""{"Statement": [{"Effect":"Deny","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}""")]
    public async Task PolicyWithABadEffectOrADuplicateKeyIsMalformedPolicyNot500(string policy)
    {
        var bucket = await CreateBucketAsync("raw-policy");
        var body = System.Text.Encoding.UTF8.GetBytes(policy.Replace("BUCKET", bucket, StringComparison.Ordinal));
        using var response = await SendSignedAsync(HttpMethod.Put, $"/{bucket}?policy", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains("<Code>MalformedPolicy</Code>", text, StringComparison.Ordinal);
        using var get = await SendSignedAsync(HttpMethod.Get, $"/{bucket}?policy", []);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    /// <summary>aws-chunked bodies (STREAMING-UNSIGNED-PAYLOAD-TRAILER, x-amz-decoded-content-length 5) whose
    /// chunk-size line is not hex, or that go on after their end: 400, nothing stored (IncompleteBody as Amazon S3 answers;
    /// InvalidRequest for a line after the final chunk that is no trailer).</summary>
    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n", "IncompleteBody")]
    [InlineData("5\u00ff\r\nhello\r\n0\r\n\r\n", "IncompleteBody")]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n", "IncompleteBody")]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n", "IncompleteBody")]
    [InlineData(" \r\nhello\r\n0\r\n\r\n", "IncompleteBody")]
    [InlineData("5\r\nhello\r\n0\r\n\r\nGARBAGE", "IncompleteBody")]
    [InlineData("5\r\nhello\r\n0\r\n\r\n0\r\n\r\n", "InvalidRequest")]
    [InlineData("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\nGARBAGE", "IncompleteBody")]
    public async Task MalformedOrOverlongAwsChunkedBodyIsRejectedAndStoresNothing(string latin1Body, string code)
    {
        var bucket = await CreateBucketAsync("raw-chunked");
        var body = System.Text.Encoding.Latin1.GetBytes(latin1Body);
        var request = new HttpRequestMessage(HttpMethod.Put, $"{fixture.Endpoint}/{bucket}/chunky") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", "5");
        SigV4TestSigner.Sign(request, body, fixture.AccessKey, fixture.SecretKey, payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Contains($"<Code>{code}</Code>", text, StringComparison.Ordinal);
        using var get = await SendSignedAsync(HttpMethod.Get, $"/{bucket}/chunky", []);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task WellFormedAwsChunkedBodyOfTheSameShapeIsStored()
    {
        var bucket = await CreateBucketAsync("raw-chunked-ok");
        var body = "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"u8.ToArray();
        var request = new HttpRequestMessage(HttpMethod.Put, $"{fixture.Endpoint}/{bucket}/chunky") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentEncoding.Add("aws-chunked");
        request.Headers.TryAddWithoutValidation("x-amz-decoded-content-length", "5");
        request.Headers.TryAddWithoutValidation("x-amz-trailer", "x-amz-checksum-crc32");
        SigV4TestSigner.Sign(request, body, fixture.AccessKey, fixture.SecretKey, payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var get = await SendSignedAsync(HttpMethod.Get, $"/{bucket}/chunky", []);
        Assert.Equal("hello", await get.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignedRequestsAreAcceptedBySigner()
    {
        var bucket = await CreateBucketAsync("raw-signer");
        using var list = await SendSignedAsync(HttpMethod.Get, $"/{bucket}?list-type=2", []);
        var text = await list.Content.ReadAsStringAsync();
        Assert.True(list.StatusCode == HttpStatusCode.OK, $"signed list: {(int)list.StatusCode} {text}");
        Assert.Contains("<ListBucketResult", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryResponseCarriesRequestId()
    {
        var bucket = await CreateBucketAsync("raw-reqid");
        using var client = fixture.CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });

        var responses = new List<(string What, HttpResponseMessage Response)>
        {
            ("anonymous GET /", await http.GetAsync($"{fixture.Endpoint}/")),
            ("anonymous GET private bucket", await http.GetAsync($"{fixture.Endpoint}/{bucket}")),
            ("anonymous GET private object", await http.GetAsync($"{fixture.Endpoint}/{bucket}/k")),
            ("anonymous GET missing bucket", await http.GetAsync($"{fixture.Endpoint}/no-such-bucket-raw/k")),
            ("signed GET object", await SendSignedAsync(HttpMethod.Get, $"/{bucket}/k", [])),
            ("signed GET missing key", await SendSignedAsync(HttpMethod.Get, $"/{bucket}/missing", [])),
            ("signed HEAD missing key", await SendSignedAsync(HttpMethod.Head, $"/{bucket}/missing", [])),
            ("signed list", await SendSignedAsync(HttpMethod.Get, $"/{bucket}?list-type=2", [])),
            ("signed PUT invalid bucket", await SendSignedAsync(HttpMethod.Put, "/Invalid_Bucket_Name", [])),
            ("bad signature", await SendSignedAsync(HttpMethod.Get, $"/{bucket}", [], secretKey: "wrong")),
        };
        foreach (var (what, response) in responses)
        {
            using (response)
            {
                Assert.True(response.Headers.TryGetValues("x-amz-request-id", out var ids) && ids.Single().Length > 0,
                    $"{what} ({(int)response.StatusCode}) has no x-amz-request-id");
            }
        }
    }

    [Fact]
    public async Task HeadOfMissingKeyIs404WithNoBodyAndAnonymousHeadIs403WithNoBody()
    {
        var bucket = await CreateBucketAsync("raw-head");
        using var signed = await SendSignedAsync(HttpMethod.Head, $"/{bucket}/missing-key", []);
        Assert.Equal(HttpStatusCode.NotFound, signed.StatusCode);
        Assert.Empty(await signed.Content.ReadAsByteArrayAsync());

        using var anonymous = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{fixture.Endpoint}/{bucket}/missing-key"));
        Assert.True(anonymous.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"anonymous HEAD: {(int)anonymous.StatusCode}");
        Assert.Empty(await anonymous.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task InvalidBucketNameIsInvalidBucketName()
    {
        foreach (var name in new[] { "Invalid_Bucket_Name", "ab", "bucket..dots", "-leading-dash", "192.168.5.4" })
        {
            using var response = await SendSignedAsync(HttpMethod.Put, "/" + name, []);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"PUT /{name}: {(int)response.StatusCode} {text}");
            Assert.Contains("<Code>InvalidBucketName</Code>", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A 304 names what the client has: its ETag and Last-Modified (RFC 9110 15.4.5; boto3 reads the ETag).</summary>
    [Fact]
    public async Task NotModifiedCarriesTheETagAndLastModified()
    {
        var bucket = await CreateBucketAsync("raw-304");
        using var client = fixture.CreateClient();
        var put = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" });
        using var response = await SendSignedAsync(HttpMethod.Get, $"/{bucket}/k", [], prepare: r => r.Headers.TryAddWithoutValidation("If-None-Match", put.ETag));
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(put.ETag, response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    /// <summary>Content-Encoding is kept as given, only the request's aws-chunked framing taken out of it.</summary>
    [Theory]
    [InlineData("deflate, gzip", "deflate, gzip")]
    [InlineData("gzip,br", "gzip,br")]
    [InlineData("aws-chunked, gzip", "gzip")]
    public async Task ContentEncodingIsStoredAsGivenWithoutAwsChunked(string sent, string stored)
    {
        var bucket = await CreateBucketAsync("raw-enc");
        using (var put = await SendSignedAsync(HttpMethod.Put, $"/{bucket}/k", "v"u8.ToArray(), prepare: r => r.Content!.Headers.TryAddWithoutValidation("Content-Encoding", sent)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var head = await SendSignedAsync(HttpMethod.Head, $"/{bucket}/k", []);
        Assert.Equal(stored, head.Content.Headers.NonValidated["Content-Encoding"].ToString());
    }

    /// <summary>A public-read bucket holding a public object "k" (anonymous requests then get past authorization).</summary>
    private async Task<string> CreatePublicBucketAsync(string prefix)
    {
        var bucket = await CreateBucketAsync(prefix);
        using var client = fixture.CreateClient();
        await client.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = Amazon.S3.S3CannedACL.PublicRead });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v", CannedACL = Amazon.S3.S3CannedACL.PublicRead });
        return bucket;
    }

    private async Task<string> CreateBucketAsync(string prefix)
    {
        var bucket = fixture.NewBucketName(prefix);
        using var client = fixture.CreateClient();
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <param name="prepare">Changes the request before it is signed.</param>
    private Task<HttpResponseMessage> SendSignedAsync(HttpMethod method, string pathAndQuery, byte[] body, bool contentMd5 = false, string? secretKey = null,
        Action<HttpRequestMessage>? prepare = null)
    {
        var request = new HttpRequestMessage(method, fixture.Endpoint + pathAndQuery);
        if (body.Length > 0 || method == HttpMethod.Put || method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent(body);
            if (contentMd5)
            {
                request.Content.Headers.ContentMD5 = MD5.HashData(body);
            }
        }

        prepare?.Invoke(request);
        SigV4TestSigner.Sign(request, body, fixture.AccessKey, secretKey ?? fixture.SecretKey);
        return http.SendAsync(request);
    }

}
