using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Peerbucket.Interop.Tests;

/// <summary>AWSSDK.S3 4.1 with default checksum settings: over http it sends aws-chunked bodies with signed trailers.</summary>
[Collection(ServerCollection.Name)]
public sealed class AwsSdkDotnetTests(ServerFixture fixture)
{
    private readonly AmazonS3Client client = fixture.CreateClient();

    [Fact]
    public async Task CreatedBucketIsListedAndSmallObjectRoundTrips()
    {
        var bucket = await CreateBucketAsync("sdk-small");
        var buckets = await client.ListBucketsAsync();
        Assert.Contains(bucket, (buckets.Buckets ?? []).Select(b => b.BucketName));

        var put = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "hello.txt", ContentBody = "hello, peerbucket" });
        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
        Assert.Equal($"\"{Files.Md5Hex("hello, peerbucket"u8.ToArray())}\"", put.ETag);

        Assert.Equal("hello, peerbucket"u8.ToArray(), await GetBytesAsync(bucket, "hello.txt"));
    }

    [Fact]
    public async Task MetadataAndContentTypeRoundTrip()
    {
        var bucket = await CreateBucketAsync("sdk-meta");
        var request = new PutObjectRequest { BucketName = bucket, Key = "doc.json", ContentBody = "{\"a\":1}", ContentType = "application/json" };
        request.Metadata.Add("color", "blue");
        request.Metadata.Add("Owner-Name", "Ada Lovelace");
        await client.PutObjectAsync(request);

        var head = await client.GetObjectMetadataAsync(bucket, "doc.json");
        Assert.Equal("application/json", head.Headers.ContentType);
        Assert.Equal("blue", head.Metadata["x-amz-meta-color"]);
        Assert.Equal("Ada Lovelace", head.Metadata["x-amz-meta-owner-name"]);
        Assert.Equal(7, head.ContentLength);

        using var get = await client.GetObjectAsync(bucket, "doc.json");
        Assert.Equal("application/json", get.Headers.ContentType);
        Assert.Equal("blue", get.Metadata["x-amz-meta-color"]);
    }

    [Fact]
    public async Task LowLevelMultipartUploadOfThreeFiveMiBPartsAndTailReadsBackWhole()
    {
        var bucket = await CreateBucketAsync("sdk-mpu");
        var data = Files.RandomBytes((15 * Files.MiB) + 123_457, seed: 101);
        var init = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "big.bin" });
        var parts = new List<UploadPartResponse>();
        var offsets = new[] { 0, 5 * Files.MiB, 10 * Files.MiB, 15 * Files.MiB, data.Length };
        for (var i = 0; i < 4; i++)
        {
            parts.Add(await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = "big.bin",
                UploadId = init.UploadId,
                PartNumber = i + 1,
                InputStream = new MemoryStream(data, offsets[i], offsets[i + 1] - offsets[i]),
            }));
        }

        var list = await client.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "big.bin", UploadId = init.UploadId });
        Assert.Equal([1, 2, 3, 4], (list.Parts ?? []).Select(p => p.PartNumber ?? 0));

        var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = "big.bin", UploadId = init.UploadId };
        complete.AddPartETags(parts);
        var completed = await client.CompleteMultipartUploadAsync(complete);
        Assert.EndsWith("-4\"", completed.ETag);

        Assert.Equal(data, await GetBytesAsync(bucket, "big.bin"));
    }

    /// <summary>A multipart object keeps its parts: GetObjectAttributes lists them (paged), GetObject and HEAD with a part
    /// number answer that part's bytes and the part count; an object written in one piece has no parts listed.</summary>
    [Fact]
    public async Task GetObjectAttributesAndPartNumberSeeAMultipartObjectsParts()
    {
        var bucket = await CreateBucketAsync("sdk-attrs");
        var data = Files.RandomBytes((10 * Files.MiB) + 1000, seed: 131);
        var init = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp.bin" });
        var etags = new List<PartETag>();
        var offsets = new[] { 0, 5 * Files.MiB, 10 * Files.MiB, data.Length };
        for (var i = 0; i < 3; i++)
        {
            var part = await client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = "mp.bin",
                UploadId = init.UploadId,
                PartNumber = i + 1,
                InputStream = new MemoryStream(data, offsets[i], offsets[i + 1] - offsets[i]),
            });
            etags.Add(new PartETag(i + 1, part.ETag));
        }

        var done = await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp.bin", UploadId = init.UploadId, PartETags = etags });
        var attributes = await client.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = bucket,
            Key = "mp.bin",
            MaxParts = 2,
            PartNumberMarker = 1,
            ObjectAttributes = [ObjectAttributes.ETag, ObjectAttributes.ObjectParts, ObjectAttributes.ObjectSize, ObjectAttributes.StorageClass],
        });
        Assert.Equal(done.ETag.Trim('"'), attributes.ETag);
        Assert.Equal(data.Length, attributes.ObjectSize);
        Assert.Equal(3, attributes.ObjectParts.TotalPartsCount);
        Assert.Equal([2, 3], attributes.ObjectParts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal([5 * Files.MiB, 1000L], attributes.ObjectParts.Parts.Select(p => p.Size ?? 0));

        using var second = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "mp.bin", PartNumber = 2 });
        using var bytes = new MemoryStream();
        await second.ResponseStream.CopyToAsync(bytes);
        Assert.Equal(data.AsSpan(5 * Files.MiB, 5 * Files.MiB).ToArray(), bytes.ToArray());
        Assert.Equal(3, second.PartsCount);
        var beyond = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "mp.bin", PartNumber = 4 }));
        Assert.Equal("InvalidPart", beyond.ErrorCode);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "one.bin", ContentBody = "one" });
        var single = await client.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = bucket,
            Key = "one.bin",
            ObjectAttributes = [ObjectAttributes.ObjectParts, ObjectAttributes.ObjectSize],
        });
        Assert.Equal(3, single.ObjectSize);
        Assert.Null(single.ObjectParts);
    }

    /// <summary>Conditional writes: If-None-Match: * creates only (of eight racing writers exactly one wins, the others
    /// get 412 and nothing of theirs is stored); If-Match overwrites only the object it names.</summary>
    [Fact]
    public async Task ConditionalWritesLetExactlyOneWriterWin()
    {
        var bucket = await CreateBucketAsync("sdk-cond");
        var racers = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "lock", ContentBody = $"writer {i}", IfNoneMatch = "*" });
                return i;
            }
            catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return -1;
            }
        }).ToList();
        var winners = (await Task.WhenAll(racers)).Where(i => i >= 0).ToList();
        var winner = Assert.Single(winners);
        using (var held = await client.GetObjectAsync(bucket, "lock"))
        using (var reader = new StreamReader(held.ResponseStream))
        {
            Assert.Equal($"writer {winner}", await reader.ReadToEndAsync());
        }

        var current = (await client.GetObjectMetadataAsync(bucket, "lock")).ETag;
        var stale = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "lock",
            ContentBody = "stale",
            IfMatch = "\"00000000000000000000000000000000\"",
        }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "lock", ContentBody = "next", IfMatch = current });
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "absent",
            ContentBody = "x",
            IfMatch = current,
        }));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        // If-Match: * writes over whatever the key holds, never where it holds nothing; If-None-Match: ETag refuses
        // exactly that object.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "lock", ContentBody = "any", IfMatch = "*" });
        var anyMissing = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "absent", ContentBody = "x", IfMatch = "*" }));
        Assert.Equal("NoSuchKey", anyMissing.ErrorCode);
        var now = (await client.GetObjectMetadataAsync(bucket, "lock")).ETag;
        var same = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "lock", ContentBody = "y", IfNoneMatch = now }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, same.StatusCode);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "lock", ContentBody = "z", IfNoneMatch = current });
        Assert.Single((await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket })).S3Objects);
    }

    /// <summary>A CompleteMultipartUpload that declares the object's checksum (the composite of the parts') is
    /// refused with BadDigest when it is not that, before anything is assembled; the right one completes.</summary>
    [Fact]
    public async Task ACompleteDeclaringTheWrongCompositeChecksumIsBadDigest()
    {
        var bucket = await CreateBucketAsync("sdk-cmpsum");
        var init = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "k",
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        });
        var data = Files.RandomBytes(1024, seed: 5);
        var part = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "k",
            UploadId = init.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(data),
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        });
        var partSum = System.Security.Cryptography.SHA256.HashData(data);
        var composite = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(partSum)) + "-1";
        CompleteMultipartUploadRequest Complete(string checksum) => new()
        {
            BucketName = bucket,
            Key = "k",
            UploadId = init.UploadId,
            ChecksumSHA256 = checksum,
            PartETags = [new PartETag { PartNumber = 1, ETag = part.ETag, ChecksumSHA256 = Convert.ToBase64String(partSum) }],
        };

        var wrong = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.CompleteMultipartUploadAsync(Complete(Convert.ToBase64String(new byte[32]) + "-1")));
        Assert.Equal("BadDigest", wrong.ErrorCode);
        var done = await client.CompleteMultipartUploadAsync(Complete(composite));
        Assert.Equal(composite, done.ChecksumSHA256);
    }

    /// <summary>S3 answers a CompleteMultipartUpload repeated after it succeeded as it did the first time (a client that
    /// lost the answer retries); once the key holds something else, the upload is gone (NoSuchUpload).</summary>
    [Fact]
    public async Task ARepeatedCompleteAnswersAsTheFirstUntilTheKeyIsOverwritten()
    {
        var bucket = await CreateBucketAsync("sdk-mpu2");
        var init = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "one.bin" });
        var part = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "one.bin",
            UploadId = init.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream([1, 2, 3]),
        });
        CompleteMultipartUploadRequest Complete() => new()
        {
            BucketName = bucket,
            Key = "one.bin",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, part.ETag)],
        };

        var first = await client.CompleteMultipartUploadAsync(Complete());
        var again = await client.CompleteMultipartUploadAsync(Complete());
        Assert.Equal(first.ETag, again.ETag);
        Assert.Equal(3, (await client.GetObjectMetadataAsync(bucket, "one.bin")).ContentLength);

        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "one.bin", ContentBody = "other" });
        var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.CompleteMultipartUploadAsync(Complete()));
        Assert.Equal("NoSuchUpload", gone.ErrorCode);
        Assert.Equal(5, (await client.GetObjectMetadataAsync(bucket, "one.bin")).ContentLength);
    }

    [Fact]
    public async Task TransferUtilityMultipartUploadReadsBackWhole()
    {
        var bucket = await CreateBucketAsync("sdk-tu");
        var data = Files.RandomBytes(12 * Files.MiB, seed: 102);
        using var transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 * Files.MiB });
        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = bucket,
            Key = "tu/12mib.bin",
            InputStream = new MemoryStream(data),
            PartSize = 5 * Files.MiB,
        });

        var head = await client.GetObjectMetadataAsync(bucket, "tu/12mib.bin");
        Assert.Equal(data.Length, head.ContentLength);
        Assert.EndsWith("-3\"", head.ETag);
        Assert.Equal(data, await GetBytesAsync(bucket, "tu/12mib.bin"));
    }

    [Fact]
    public async Task RangedGetReturns206AndExactBytes()
    {
        var bucket = await CreateBucketAsync("sdk-range");
        var data = Files.RandomBytes(1000, seed: 103);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "r.bin", InputStream = new MemoryStream(data) });

        using var ranged = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "r.bin", ByteRange = new ByteRange(10, 99) });
        Assert.Equal(HttpStatusCode.PartialContent, ranged.HttpStatusCode);
        Assert.Equal("bytes 10-99/1000", ranged.ContentRange);
        Assert.Equal(data[10..100], await ReadAllAsync(ranged.ResponseStream));

        Assert.Equal(data, await GetBytesAsync(bucket, "r.bin"));
    }

    [Fact]
    public async Task CopyObjectKeepsOrReplacesMetadataByDirective()
    {
        var bucket = await CreateBucketAsync("sdk-copy");
        var put = new PutObjectRequest { BucketName = bucket, Key = "src.txt", ContentBody = "copy me", ContentType = "text/plain" };
        put.Metadata.Add("origin", "source");
        await client.PutObjectAsync(put);

        await client.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src.txt",
            DestinationBucket = bucket,
            DestinationKey = "copied.txt",
        });
        var copied = await client.GetObjectMetadataAsync(bucket, "copied.txt");
        Assert.Equal("source", copied.Metadata["x-amz-meta-origin"]);
        Assert.Equal("text/plain", copied.Headers.ContentType);
        Assert.Equal("copy me"u8.ToArray(), await GetBytesAsync(bucket, "copied.txt"));

        var replace = new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src.txt",
            DestinationBucket = bucket,
            DestinationKey = "replaced.txt",
            MetadataDirective = S3MetadataDirective.REPLACE,
            ContentType = "application/x-replaced",
        };
        replace.Metadata.Add("origin", "replaced");
        await client.CopyObjectAsync(replace);
        var replaced = await client.GetObjectMetadataAsync(bucket, "replaced.txt");
        Assert.Equal("replaced", replaced.Metadata["x-amz-meta-origin"]);
        Assert.Equal("application/x-replaced", replaced.Headers.ContentType);
        Assert.Equal("copy me"u8.ToArray(), await GetBytesAsync(bucket, "replaced.txt"));
    }

    [Fact]
    public async Task UploadPartCopyTakesTheRangeItNamesAndRefusesOneReachingPastTheSource()
    {
        var bucket = await CreateBucketAsync("sdk-partcopy");
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "01234" });
        var upload = await client.InitiateMultipartUploadAsync(bucket, "dest");
        var part = new CopyPartRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            DestinationBucket = bucket,
            DestinationKey = "dest",
            UploadId = upload.UploadId,
            PartNumber = 1,
        };

        // Past the end (the suite's bytes=0-21 of five bytes): refused, not cut to fit; the upload is untouched.
        part.FirstByte = 0;
        part.LastByte = 21;
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.CopyPartAsync(part));
        Assert.Equal("InvalidRange", error.ErrorCode);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, error.StatusCode);
        Assert.Empty((await client.ListPartsAsync(bucket, "dest", upload.UploadId)).Parts ?? []);

        part.FirstByte = 1;
        part.LastByte = 3;
        var copied = await client.CopyPartAsync(part);
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "dest",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, copied.ETag)],
        });
        Assert.Equal("123"u8.ToArray(), await GetBytesAsync(bucket, "dest"));
    }

    [Fact]
    public async Task ListObjectsV1PaginatesAndGroupsByDelimiter()
    {
        var bucket = await CreateBucketAsync("sdk-list1");
        await PutKeysAsync(bucket);

        var keys = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var page = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, MaxKeys = 2, Marker = marker });
            pages++;
            var pageKeys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
            Assert.True(pageKeys.Count <= 2);
            keys.AddRange(pageKeys);
            marker = page.IsTruncated == true ? page.NextMarker ?? pageKeys[^1] : null;
        }
        while (marker is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(AllKeys, keys);

        var grouped = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Prefix = "dir/", Delimiter = "/" });
        Assert.Equal(["dir/a.txt", "dir/b.txt"], (grouped.S3Objects ?? []).Select(o => o.Key));
        Assert.Equal(["dir/sub/"], grouped.CommonPrefixes ?? []);

        var top = await client.ListObjectsAsync(new ListObjectsRequest { BucketName = bucket, Delimiter = "/" });
        Assert.Equal(["root.txt", "z.txt"], (top.S3Objects ?? []).Select(o => o.Key));
        Assert.Equal(["dir/"], top.CommonPrefixes ?? []);
    }

    [Fact]
    public async Task ListObjectsV2PaginatesWithContinuationTokenAndGroupsByDelimiter()
    {
        var bucket = await CreateBucketAsync("sdk-list2");
        await PutKeysAsync(bucket);

        var keys = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 2, ContinuationToken = token });
            pages++;
            var pageKeys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
            Assert.Equal(pageKeys.Count, page.KeyCount);
            keys.AddRange(pageKeys);
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(AllKeys, keys);

        var grouped = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "dir/", Delimiter = "/" });
        Assert.Equal(["dir/a.txt", "dir/b.txt"], (grouped.S3Objects ?? []).Select(o => o.Key));
        Assert.Equal(["dir/sub/"], grouped.CommonPrefixes ?? []);

        var after = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, StartAfter = "dir/sub/c.txt" });
        Assert.Equal(["root.txt", "z.txt"], (after.S3Objects ?? []).Select(o => o.Key));
    }

    [Fact]
    public async Task DeleteObjectsQuietRemovesEveryKeyAndReportsNoErrors()
    {
        var bucket = await CreateBucketAsync("sdk-delete");
        await PutKeysAsync(bucket);

        var response = await client.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Quiet = true,
            Objects = [.. AllKeys.Take(4).Select(k => new KeyVersion { Key = k }), new KeyVersion { Key = "never-existed" }],
        });
        Assert.Empty(response.DeleteErrors ?? []);
        Assert.Empty(response.DeletedObjects ?? []);

        var left = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Equal(["z.txt"], (left.S3Objects ?? []).Select(o => o.Key));

        await client.DeleteObjectAsync(bucket, "z.txt");
        await client.DeleteBucketAsync(bucket);
        var buckets = await client.ListBucketsAsync();
        Assert.DoesNotContain(bucket, (buckets.Buckets ?? []).Select(b => b.BucketName));
    }

    [Fact]
    public async Task MissingKeyIsNoSuchKey()
    {
        var bucket = await CreateBucketAsync("sdk-nokey");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.GetObjectAsync(bucket, "missing"));
        Assert.Equal("NoSuchKey", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task MissingBucketIsNoSuchBucket()
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "no-such-bucket-here" }));
        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);

        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            client.PutObjectAsync(new PutObjectRequest { BucketName = "no-such-bucket-here", Key = "k", ContentBody = "x" }));
        Assert.Equal("NoSuchBucket", put.ErrorCode);
    }

    [Fact]
    public async Task DeletingNonEmptyBucketIsBucketNotEmpty()
    {
        var bucket = await CreateBucketAsync("sdk-notempty");
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "keep", ContentBody = "x" });
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
    }

    [Fact]
    public async Task WrongSecretIsSignatureDoesNotMatch()
    {
        var bucket = await CreateBucketAsync("sdk-badsig");
        using var wrong = fixture.CreateClient(secretKey: "not-the-secret-0123456789abcdefghijklmnop");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => wrong.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }));
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);

        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            wrong.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" }));
        Assert.Equal("SignatureDoesNotMatch", put.ErrorCode);
        var list = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(list.S3Objects ?? []);
    }

    [Fact]
    public async Task PresignedGetUrlFetchesObjectWithPlainHttpClient()
    {
        var bucket = await CreateBucketAsync("sdk-presign");
        var data = Files.RandomBytes(4096, seed: 104);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "p/signed.bin", InputStream = new MemoryStream(data) });

        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "p/signed.bin",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Protocol = Protocol.HTTP,
        });
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(url));

        using var anonymous = await http.GetAsync($"{fixture.Endpoint}/{bucket}/p/signed.bin");
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [Fact]
    public async Task ExpiredPresignedUrlIsForbidden()
    {
        var bucket = await CreateBucketAsync("sdk-expired");
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "short", ContentBody = "short-lived" });
        var url = await client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "short",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddSeconds(1),
            Protocol = Protocol.HTTP,
        });
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"expected 403, got {(int)response.StatusCode}: {body}");
        Assert.Contains("<Code>AccessDenied</Code>", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BucketPolicyGrantingGetObjectToEveryoneOpensObjectsToAnonymousGet()
    {
        var bucket = await CreateBucketAsync("sdk-policy");
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "pub/a.txt", ContentBody = "public by policy" });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "priv/b.txt", ContentBody = "private" });
        using var http = new HttpClient();
        using (var before = await http.GetAsync($"{fixture.Endpoint}/{bucket}/pub/a.txt"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        await client.PutBucketPolicyAsync(new PutBucketPolicyRequest
        {
            BucketName = bucket,
            Policy = $$"""
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
                 "Action":["s3:GetObject"],"Resource":["arn:aws:s3:::{{bucket}}/pub/*"]}]}
                """,
        });
        Assert.Equal("public by policy", await http.GetStringAsync($"{fixture.Endpoint}/{bucket}/pub/a.txt"));
        using (var other = await http.GetAsync($"{fixture.Endpoint}/{bucket}/priv/b.txt"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }

        using var put = await http.PutAsync($"{fixture.Endpoint}/{bucket}/pub/evil.txt", new StringContent("no"));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }

    [Fact]
    public async Task PublicReadCannedAclOnObjectAllowsAnonymousGetAndHead()
    {
        var bucket = await CreateBucketAsync("sdk-acl");
        var data = Files.RandomBytes(2048, seed: 105);
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "open.bin",
            InputStream = new MemoryStream(data),
            CannedACL = S3CannedACL.PublicRead,
        });
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync($"{fixture.Endpoint}/{bucket}/open.bin"));
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"{fixture.Endpoint}/{bucket}/open.bin"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(2048, head.Content.Headers.ContentLength);

        var acl = await client.GetObjectAclAsync(new GetObjectAclRequest { BucketName = bucket, Key = "open.bin" });
        Assert.Contains(acl.Grants ?? [], g => g.Grantee?.URI == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == S3Permission.READ);
    }

    private static readonly string[] AllKeys = ["dir/a.txt", "dir/b.txt", "dir/sub/c.txt", "root.txt", "z.txt"];

    private async Task PutKeysAsync(string bucket)
    {
        foreach (var key in AllKeys)
        {
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body of " + key });
        }
    }

    private async Task<string> CreateBucketAsync(string prefix)
    {
        var bucket = fixture.NewBucketName(prefix);
        var response = await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        return bucket;
    }

    private async Task<byte[]> GetBytesAsync(string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        return await ReadAllAsync(response.ResponseStream);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
