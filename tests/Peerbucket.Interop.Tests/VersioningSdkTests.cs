using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Peerbucket.Interop.Tests;

/// <summary>Versioning as the AWS SDK for .NET drives it: versions, delete markers, the null version, versioned listing
/// with paging, copy from a version, and multipart uploads into a versioned bucket.</summary>
[Collection(ServerCollection.Name)]
public sealed class VersioningSdkTests(ServerFixture fixture)
{
    private readonly AmazonS3Client client = fixture.CreateClient();

    [Fact]
    public async Task EveryWriteIsAVersionADeleteIsAMarkerAndRemovingTheMarkerRestoresTheObject()
    {
        var bucket = await VersionedBucketAsync("sdk-ver");
        var status = await client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket });
        Assert.Equal(VersionStatus.Enabled, status.VersioningConfig.Status);

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var put = await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "doc.txt", ContentBody = $"version {i}" });
            Assert.Matches("^[0-9a-f]{32}$", put.VersionId);
            ids.Add(put.VersionId);
        }

        Assert.Equal("version 2", await TextAsync(bucket, "doc.txt"));
        Assert.Equal("version 0", await TextAsync(bucket, "doc.txt", ids[0]));
        using (var head = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = ids[1] }))
        {
            Assert.Equal(ids[1], head.VersionId);
        }

        var deleted = await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.txt" });
        Assert.Equal("true", deleted.DeleteMarker);
        var hidden = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => client.GetObjectAsync(bucket, "doc.txt"));
        Assert.Equal("NoSuchKey", hidden.ErrorCode);
        Assert.Equal("version 1", await TextAsync(bucket, "doc.txt", ids[1]));

        var listed = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal([deleted.VersionId, ids[2], ids[1], ids[0]], listed.Versions.Select(v => v.VersionId));
        Assert.True(listed.Versions[0].IsDeleteMarker);
        Assert.True(listed.Versions[0].IsLatest);
        Assert.All(listed.Versions.Skip(1), v => Assert.False(v.IsLatest));

        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = deleted.VersionId });
        Assert.Equal("version 2", await TextAsync(bucket, "doc.txt"));

        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = ids[2] });
        Assert.Equal("version 1", await TextAsync(bucket, "doc.txt"));
        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() =>
            client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.txt", VersionId = ids[2] }));
        Assert.Equal("NoSuchVersion", gone.ErrorCode);
    }

    [Fact]
    public async Task ListingPagesThroughManyVersionsWithKeyAndVersionMarkers()
    {
        var bucket = await VersionedBucketAsync("sdk-verpage");
        var expected = new List<(string Key, string Version)>();
        foreach (var key in new[] { "a", "b/c", "d" })
        {
            var versions = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                versions.Add((await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key + i })).VersionId);
            }

            versions.Reverse();
            expected.AddRange(versions.Select(v => (key, v)));
        }

        var seen = new List<(string, string)>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 5 };
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await client.ListVersionsAsync(request);
            seen.AddRange(page.Versions.Select(v => (v.Key, v.VersionId)));
            if (page.IsTruncated != true)
            {
                break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task ASuspendedBucketOverwritesItsNullVersionAndKeepsTheOthers()
    {
        var bucket = await VersionedBucketAsync("sdk-versus");
        var kept = (await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "kept" })).VersionId;
        await client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended },
        });

        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "null one" });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "null two" });
        var listed = await client.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket });
        Assert.Equal(["null", kept], listed.Versions.Select(v => v.VersionId));
        Assert.Equal("null two", await TextAsync(bucket, "k", "null"));
        Assert.Equal("kept", await TextAsync(bucket, "k", kept));
    }

    [Fact]
    public async Task CopyFromAnOldVersionAndMultipartUploadsGetVersionsToo()
    {
        var bucket = await VersionedBucketAsync("sdk-vercopy");
        var old = (await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "old bytes" })).VersionId;
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "src", ContentBody = "new bytes" });

        var copy = await client.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            SourceVersionId = old,
            DestinationBucket = bucket,
            DestinationKey = "dst",
        });
        Assert.Equal(old, copy.SourceVersionId);
        Assert.Matches("^[0-9a-f]{32}$", copy.VersionId);
        Assert.Equal("old bytes", await TextAsync(bucket, "dst"));

        var init = await client.InitiateMultipartUploadAsync(bucket, "big");
        var part = Files.RandomBytes(5 * Files.MiB, seed: 77);
        var uploaded = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = "big",
            UploadId = init.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(part),
        });
        var complete = await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "big",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, uploaded.ETag)],
        });
        Assert.Matches("^[0-9a-f]{32}$", complete.VersionId);
        using var got = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "big", VersionId = complete.VersionId });
        Assert.Equal(part.Length, got.ContentLength);
    }

    [Fact]
    public async Task AMalformedVersionIdIsInvalidArgumentNotALookup()
    {
        var bucket = await VersionedBucketAsync("sdk-verbad");
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" });
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", VersionId = "../../etc" }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("InvalidArgument", error.ErrorCode);
    }

    private async Task<string> VersionedBucketAsync(string prefix)
    {
        var bucket = fixture.NewBucketName(prefix);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        await client.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        return bucket;
    }

    private async Task<string> TextAsync(string bucket, string key, string? versionId = null)
    {
        using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId });
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
