using System.Buffers;
using System.Text;
using Peerbucket.Protocols.Http;
using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Xml;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;

namespace Peerbucket.Fuzz;

/// <summary>The S3 side: aws-chunked framing, SigV4 canonicalization and credentials, request routing and object-key
/// decoding, every XML body (parsed and walked as the handlers walk them), bucket policy JSON, Range headers. A typed
/// S3 error (<see cref="S3Exception"/>) or a MalformedPolicy is the expected rejection; anything else is a finding.</summary>
internal static class S3Targets
{
    private static readonly S3Router Router = new("s3.example.com");

    public static IEnumerable<FuzzTarget> All() =>
    [
        new("aws-chunked", AwsChunked, [
            [1, .. Encoding.ASCII.GetBytes("5;chunk-signature=" + new string('a', 64) + "\r\nhello\r\n0;chunk-signature=" + new string('b', 64) + "\r\n\r\n")],
            [2, .. "5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"u8],
        ]),
        new("sigv4", SigV4, [.. Utf8(
            "/bucket/a%20b/c~d\nlist-type=2&prefix=a%2Fb&X-Amz-Signature=abc\n  a   b  c \nAKIDEXAMPLE/20130524/us-east-1/s3/aws4_request",
            "/\n\n\nAKID/20240101/eu-west-1/s3/aws4_request")]),
        new("object-key", ObjectKey, [.. Utf8("GET /bucket/photos/2024/a%20b.jpg?versionId=1", "PUT /bucket/k%01ey?acl", "GET bucket.s3.example.com /key?torrent",
            "DELETE /bucket/dir/../k", "GET /?list-type=2")]),
        new("xml", Xml, [.. Utf8(
            "<Delete><Quiet>true</Quiet><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>1</VersionId></Object></Delete>",
            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag></Part></CompleteMultipartUpload>",
            "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
            "<AccessControlPolicy><Owner><ID>o</ID></Owner><AccessControlList><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>")]),
        new("policy", Policy, [.. Utf8(
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/public/*\"}]}",
            "{\"Statement\":{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":[\"*\"]},\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::bucket/*\"],\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}}")]),
        new("tagging", Tagging, [.. Utf8(
            "<Tagging><TagSet><Tag><Key>team</Key><Value>data</Value></Tag><Tag><Key>k</Key><Value></Value></Tag></TagSet></Tagging>",
            "team=data&stage=raw%20v1&bare", "a=1&a=2", "aws:x=1", "%zz=1")]),
        new("cors", Cors, [.. Utf8(
            "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>https://*.example.org</AllowedOrigin><AllowedHeader>x-amz-*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule></CORSConfiguration>",
            "<CORSConfiguration><CORSRule><AllowedMethod>PATCH</AllowedMethod><AllowedOrigin>**</AllowedOrigin></CORSRule></CORSConfiguration>")]),
        new("range", Range, [.. Utf8("bytes=0-99", "bytes=-500", "bytes=9500-", "bytes=0-0,-1", "bytes=5-2")]),
        new("post-policy", PostPolicyDocument, [.. Utf8(
            "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [{\"bucket\": \"b\"}, [\"starts-with\", \"$key\", \"u/\"], [\"content-length-range\", 0, 1024]]}",
            "{\"expiration\": \"2030-01-01T00:00:00.000Z\", \"conditions\": [[\"eq\", \"$acl\", \"private\"], {\"x-amz-meta-a\": 1}]}")]),
        new("post-form", PostFormBody, [.. Utf8(
            "--B\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nu/${filename}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--B--\r\n",
            "--B\r\nContent-Disposition: form-data; name=\"kEy\"; filename=\"kEy\"\r\n\r\nx\r\n--B--\r\n")]),
        new("object-lock", ObjectLock, [.. Utf8(
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>",
            "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>-1</Years></DefaultRetention></Rule></ObjectLockConfiguration>",
            "2030-01-01T00:00:00.000Z", "2140-01-01T00:00:00Z", "0192f6a4e3c87b5e9d1a2b3c4d5e6f70", "null")]),
    ];

    private static void AwsChunked(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var parser = new AwsChunkedParser(signed: (input[0] & 1) != 0, hasTrailer: (input[0] & 2) != 0, decodedContentLength: (input[0] & 4) != 0 ? 5 : null);
        var buffer = new ReadOnlySequence<byte>(input, 1, input.Length - 1);
        for (var steps = 0; steps < 100_000; steps++)
        {
            var status = parser.Parse(buffer, isFinalBlock: true, out var token, maxDataBytes: 1 + (input[0] >> 4));
            if (status is AwsChunkedStatus.Invalid or AwsChunkedStatus.Completed)
            {
                return;
            }

            if (status == AwsChunkedStatus.NeedMoreData)
            {
                throw new FuzzFinding("NeedMoreData although no more bytes will come");
            }

            if (token.Consumed <= 0 && status != AwsChunkedStatus.ChunkData)
            {
                throw new FuzzFinding($"{status} consumed nothing");
            }

            buffer = buffer.Slice(token.Consumed);
        }

        throw new FuzzFinding("the parser did not finish within 100,000 steps");
    }

    private static void SigV4(byte[] input)
    {
        var parts = Encoding.UTF8.GetString(input).Split('\n');
        var at = (int i) => i < parts.Length ? parts[i] : "";
        _ = SigV4Canonical.CanonicalUri(at(0));
        _ = SigV4Canonical.CanonicalQuery(at(1), excludeSignature: true);
        _ = SigV4Canonical.CanonicalHeaderValue(at(2));
        _ = SigV4Credential.TryParse(at(3), out _, out _);
        var decoded = SigV4Canonical.PercentDecode(at(0), plusIsSpace: false);
        _ = SigV4Canonical.UriEncode(decoded, keepSlash: true);
    }

    private static void ObjectKey(byte[] input)
    {
        // "METHOD [HOST ]PATH[?QUERY]", as the server sees a request line and its Host header.
        var text = Encoding.Latin1.GetString(input);
        var fields = text.Split(' ', 3);
        var method = fields[0];
        var (host, target) = fields.Length switch
        {
            3 => (fields[1], fields[2]),
            2 => ("127.0.0.1:9000", fields[1]),
            _ => ("127.0.0.1:9000", "/"),
        };
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var (path, query) = question < 0 ? (target, "") : (target[..question], target[(question + 1)..]);
        try
        {
            var route = Router.Route(method, host, path, query);
            if (route.Key is { } key && Encoding.UTF8.GetByteCount(key) > 1024)
            {
                throw new FuzzFinding($"a key of {Encoding.UTF8.GetByteCount(key)} bytes was routed (S3's limit is 1024)");
            }
        }
        catch (S3Exception)
        {
            // typed rejection
        }
    }

    /// <summary>A POST policy (base64 of the bytes) checked against a fixed form: a typed S3 error or nothing.</summary>
    private static void PostPolicyDocument(byte[] input)
    {
        var fields = new Dictionary<string, string> { ["key"] = "u/a.txt", ["acl"] = "private", ["x-amz-meta-a"] = "1" };
        try
        {
            Peerbucket.S3.Post.PostPolicy.Parse(Convert.ToBase64String(input)).Check(fields, "b", DateTimeOffset.UnixEpoch);
        }
        catch (S3Exception)
        {
            // InvalidPolicyDocument, AccessDenied
        }
    }

    /// <summary>A multipart/form-data body (boundary "B") read up to its file field, the file then read to its end.</summary>
    private static void PostFormBody(byte[] input)
    {
        try
        {
            var form = Peerbucket.S3.Post.PostForm.ReadAsync("multipart/form-data; boundary=B", new MemoryStream(input), CancellationToken.None)
                .GetAwaiter().GetResult();
            form.File.CopyTo(Stream.Null);
            if (form.Fields.Keys.Any(k => k != k.ToLowerInvariant()))
            {
                throw new FuzzFinding("a form field name was not lower-cased");
            }
        }
        catch (S3Exception)
        {
            // MalformedPOSTRequest, InvalidArgument
        }
        catch (IOException)
        {
            // the file part ends before its boundary: the body stream's own error, as a truncated upload gets
        }
    }

    /// <summary>An Object Lock configuration body (what it accepts must survive its own document unchanged), and the
    /// same bytes as a retain-until date and as a version id.</summary>
    private static void ObjectLock(byte[] input)
    {
        try
        {
            var parsed = Peerbucket.S3.Locking.ObjectLockConfiguration.Parse(RequestXml.Parse(input));
            var again = Peerbucket.S3.Locking.ObjectLockConfiguration.Parse(RequestXml.Parse(parsed.ToXml()));
            if (again != parsed)
            {
                throw new FuzzFinding($"the lock configuration {parsed} came back from its own document as {again}");
            }
        }
        catch (S3Exception)
        {
            // MalformedXML, InvalidRetentionPeriod
        }

        var text = Encoding.UTF8.GetString(input);
        try
        {
            _ = Peerbucket.S3.Locking.ObjectLockHeaders.FutureDate(text, DateTimeOffset.UnixEpoch);
        }
        catch (S3Exception)
        {
            // InvalidArgument
        }

        try
        {
            Peerbucket.S3.Handlers.VersionIds.Validate(text);
        }
        catch (S3Exception)
        {
            // InvalidArgument
        }
    }

    private static void Xml(byte[] input)
    {
        try
        {
            var root = RequestXml.Parse(input);
            foreach (var element in root.Descendants())
            {
                _ = element.ChildValue("Key");
                _ = element.ChildValue("PartNumber");
                _ = element.Children("Object").Count();
            }
        }
        catch (S3Exception)
        {
            // MalformedXML and friends
        }
    }

    /// <summary>Both forms of a tag set (a <c>Tagging</c> document, the <c>x-amz-tagging</c> header); what either
    /// accepts must survive its own <c>Tagging</c> document unchanged.</summary>
    private static void Tagging(byte[] input)
    {
        foreach (var parse in (Func<IReadOnlyDictionary<string, string>>[])[
            () => Peerbucket.S3.Tagging.TagSet.FromXml(RequestXml.Parse(input), Peerbucket.S3.Tagging.TagSet.MaxBucketTags),
            () => Peerbucket.S3.Tagging.TagSet.FromHeader(Encoding.Latin1.GetString(input))])
        {
            IReadOnlyDictionary<string, string> tags;
            try
            {
                tags = parse();
            }
            catch (S3Exception)
            {
                continue; // InvalidTag, MalformedXML, InvalidArgument
            }

            var again = Peerbucket.S3.Tagging.TagSet.FromXml(RequestXml.Parse(Peerbucket.S3.Tagging.TagSet.ToXml(tags)), Peerbucket.S3.Tagging.TagSet.MaxBucketTags);
            if (!again.OrderBy(t => t.Key, StringComparer.Ordinal).SequenceEqual(tags.OrderBy(t => t.Key, StringComparer.Ordinal)))
            {
                throw new FuzzFinding("a tag set changed through its own Tagging document");
            }
        }
    }

    /// <summary>A CORS configuration: what parses survives its own document unchanged, and matching never throws.</summary>
    private static void Cors(byte[] input)
    {
        Peerbucket.S3.Cors.CorsConfiguration cors;
        try
        {
            cors = Peerbucket.S3.Cors.CorsConfiguration.FromXml(RequestXml.Parse(input));
        }
        catch (S3Exception)
        {
            return; // MalformedXML, InvalidRequest, InvalidArgument
        }

        var again = Peerbucket.S3.Cors.CorsConfiguration.FromXml(RequestXml.Parse(cors.ToXml()));
        if (!again.ToXml().AsSpan().SequenceEqual(cors.ToXml()))
        {
            throw new FuzzFinding("a CORS configuration changed through its own document");
        }

        var text = Encoding.Latin1.GetString(input);
        _ = cors.Match(text, "GET", [text]);
    }

    private static void Policy(byte[] input)
    {
        try
        {
            _ = BucketPolicy.Parse(Encoding.UTF8.GetString(input), "bucket");
        }
        catch (StorageException error) when (error.Error == StorageError.MalformedPolicy)
        {
            // typed rejection
        }
    }

    private static void Range(byte[] input)
    {
        var header = Encoding.Latin1.GetString(input);
        foreach (var size in (long[])[0, 1, 100, 10_000, long.MaxValue / 2])
        {
            var range = ByteRange.Parse(header, size, out var unsatisfiable);
            if (range is { } r && (unsatisfiable || r.Start < 0 || r.Length <= 0 || r.Start + r.Length > size))
            {
                throw new FuzzFinding($"range {r.Start}+{r.Length} of {size} from '{header}'");
            }
        }
    }

    private static IEnumerable<byte[]> Utf8(params string[] texts) => texts.Select(Encoding.UTF8.GetBytes);
}
