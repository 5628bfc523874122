using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;

namespace Peerbucket.S3.Tests.Routing;

/// <summary>Requests from the AWS API reference examples, path-style and virtual-hosted style.</summary>
public class S3RouterTests
{
    private readonly S3Router _router = new("s3.example.com");

    [Theory]
    [InlineData("GET", "/", "", S3Operation.ListBuckets, null, null)]
    [InlineData("PUT", "/examplebucket", "", S3Operation.CreateBucket, "examplebucket", null)]
    [InlineData("HEAD", "/examplebucket", "", S3Operation.HeadBucket, "examplebucket", null)]
    [InlineData("DELETE", "/examplebucket", "", S3Operation.DeleteBucket, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "location", S3Operation.GetBucketLocation, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "list-type=2&prefix=photos/2006/&delimiter=/", S3Operation.ListObjectsV2, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "prefix=N&marker=Ned&max-keys=40", S3Operation.ListObjects, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "versions", S3Operation.ListObjectVersions, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "uploads", S3Operation.ListMultipartUploads, "examplebucket", null)]
    [InlineData("POST", "/examplebucket", "delete", S3Operation.DeleteObjects, "examplebucket", null)]
    [InlineData("GET", "/examplebucket", "acl", S3Operation.GetBucketAcl, "examplebucket", null)]
    [InlineData("PUT", "/examplebucket", "policy", S3Operation.PutBucketPolicy, "examplebucket", null)]
    [InlineData("DELETE", "/examplebucket", "policy", S3Operation.DeleteBucketPolicy, "examplebucket", null)]
    [InlineData("GET", "/examplebucket/my-image.jpg", "", S3Operation.GetObject, "examplebucket", "my-image.jpg")]
    [InlineData("HEAD", "/examplebucket/my-image.jpg", "", S3Operation.HeadObject, "examplebucket", "my-image.jpg")]
    [InlineData("PUT", "/examplebucket/my-image.jpg", "", S3Operation.PutObject, "examplebucket", "my-image.jpg")]
    [InlineData("DELETE", "/examplebucket/my-image.jpg", "", S3Operation.DeleteObject, "examplebucket", "my-image.jpg")]
    [InlineData("GET", "/examplebucket/my-image.jpg", "acl", S3Operation.GetObjectAcl, "examplebucket", "my-image.jpg")]
    [InlineData("GET", "/examplebucket/my-image.jpg", "torrent", S3Operation.GetObjectTorrent, "examplebucket", "my-image.jpg")]
    [InlineData("GET", "/examplebucket/my-image.jpg", "magnet&format=hybrid", S3Operation.GetObjectMagnet, "examplebucket", "my-image.jpg")]
    [InlineData("POST", "/examplebucket/example-object", "uploads", S3Operation.CreateMultipartUpload, "examplebucket", "example-object")]
    [InlineData("PUT", "/examplebucket/my-movie.m2ts", "partNumber=1&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR", S3Operation.UploadPart, "examplebucket", "my-movie.m2ts")]
    [InlineData("POST", "/examplebucket/example-object", "uploadId=AAAsb2FkIElEIGZvciBlbHZpbmcncyWeeS1tb3ZpZS5tMnRzIRRwbG9hZA", S3Operation.CompleteMultipartUpload, "examplebucket", "example-object")]
    [InlineData("DELETE", "/examplebucket/example-object", "uploadId=VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZ", S3Operation.AbortMultipartUpload, "examplebucket", "example-object")]
    [InlineData("GET", "/examplebucket/example-object", "uploadId=XXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA&max-parts=2&part-number-marker=1", S3Operation.ListParts, "examplebucket", "example-object")]
    public void PathStyleRequestsRouteToTheirOperation(string method, string path, string query, S3Operation operation, string? bucket, string? key)
    {
        var route = _router.Route(method, "s3.example.com", path, query);
        Assert.Equal(operation, route.Operation);
        Assert.Equal(bucket, route.Bucket);
        Assert.Equal(key, route.Key);
    }

    [Theory]
    [InlineData("GET", "/my-image.jpg", "", S3Operation.GetObject, "my-image.jpg")]
    [InlineData("GET", "/", "list-type=2", S3Operation.ListObjectsV2, null)]
    [InlineData("PUT", "/", "", S3Operation.CreateBucket, null)]
    [InlineData("GET", "/photos/2006/January/sample.jpg", "", S3Operation.GetObject, "photos/2006/January/sample.jpg")]
    public void VirtualHostedRequestsTakeTheBucketFromTheHost(string method, string path, string query, S3Operation operation, string? key)
    {
        var route = _router.Route(method, "examplebucket.s3.example.com:9000", path, query);
        Assert.Equal(operation, route.Operation);
        Assert.Equal("examplebucket", route.Bucket);
        Assert.Equal(key, route.Key);
    }

    [Fact]
    public void WithoutADomainTheHostIsIgnored()
    {
        var route = new S3Router(null).Route("GET", "examplebucket.s3.example.com", "/b-one/k", "");
        Assert.Equal("b-one", route.Bucket);
    }

    [Fact]
    public void PutWithCopySourceIsACopy()
    {
        Assert.Equal(S3Operation.CopyObject, S3Router.RefineForCopy(S3Operation.PutObject));
        Assert.Equal(S3Operation.UploadPartCopy, S3Router.RefineForCopy(S3Operation.UploadPart));
        Assert.Equal(S3Operation.GetObject, S3Router.RefineForCopy(S3Operation.GetObject));
    }

    [Theory]
    [InlineData("/b-one/a%20b%2Bc", "a b+c")]
    [InlineData("/b-one/a+b", "a+b")]
    [InlineData("/b-one/dir//x/../y", "dir//x/../y")]
    [InlineData("/b-one/%E2%82%AC%20%25", "€ %")]
    [InlineData("/b-one/dir/", "dir/")]
    public void KeysAreDecodedExactlyAndPlusInAPathIsAPlus(string path, string key)
    {
        Assert.Equal(key, _router.Route("GET", "localhost", path, "").Key);
    }

    [Fact]
    public void QueryPlusIsASpace()
    {
        Assert.Equal("a b", _router.Route("GET", "localhost", "/b-one", "prefix=a+b").Query.Get("prefix"));
    }

    [Theory]
    [InlineData("GET", "/b-one/key", "restore")]
    [InlineData("GET", "/b-one/key", "cors")]
    [InlineData("PUT", "/b-one", "lifecycle")]
    [InlineData("PUT", "/b-one/key", "cors")]
    [InlineData("PUT", "/b-one", "website")]
    [InlineData("DELETE", "/b-one", "analytics")]
    public void UnsupportedSubresourcesAreErrorsNotPlainRequests(string method, string path, string subresource)
    {
        var error = Assert.Throws<S3Exception>(() => _router.Route(method, "localhost", path, subresource));
        Assert.Equal(S3ErrorCode.NotImplemented, error.Code);
    }

    /// <summary>S3 has no delete for Object Lock settings: such a DELETE must never fall through to DeleteBucket or
    /// DeleteObject.</summary>
    [Theory]
    [InlineData("/b-one", "object-lock")]
    [InlineData("/b-one/key", "retention")]
    [InlineData("/b-one/key", "legal-hold")]
    public void ADeleteOfAnObjectLockSubresourceIsMethodNotAllowed(string path, string subresource)
    {
        var error = Assert.Throws<S3Exception>(() => _router.Route("DELETE", "localhost", path, subresource));
        Assert.Equal(S3ErrorCode.MethodNotAllowed, error.Code);
    }

    [Theory]
    [InlineData("GET", "/b-one", "object-lock", S3Operation.GetObjectLockConfiguration)]
    [InlineData("PUT", "/b-one/key", "retention", S3Operation.PutObjectRetention)]
    [InlineData("GET", "/b-one/key", "legal-hold", S3Operation.GetObjectLegalHold)]
    [InlineData("PUT", "/b-one", "versioning", S3Operation.PutBucketVersioning)]
    [InlineData("GET", "/b-one", "website", S3Operation.GetBucketSubresource)]
    [InlineData("PUT", "/b-one", "cors", S3Operation.PutBucketCors)]
    [InlineData("OPTIONS", "/b-one/key", "", S3Operation.PreflightCors)]
    [InlineData("DELETE", "/b-one", "website", S3Operation.DeleteBucketSubresource)]
    [InlineData("GET", "/b-one", "tagging", S3Operation.GetBucketTagging)]
    [InlineData("PUT", "/b-one/key", "tagging", S3Operation.PutObjectTagging)]
    [InlineData("DELETE", "/b-one/key", "tagging", S3Operation.DeleteObjectTagging)]
    public void TaggingAndUnsetBucketSubresourcesHaveTheirOperations(string method, string path, string query, S3Operation expected) =>
        Assert.Equal(expected, _router.Route(method, "localhost", path, query).Operation);

    [Fact]
    public void AKeyOverOneKilobyteIsTooLong()
    {
        var ok = _router.Route("GET", "localhost", "/b-one/" + new string('k', 1024), "");
        Assert.Equal(1024, ok.Key!.Length);
        var error = Assert.Throws<S3Exception>(() => _router.Route("GET", "localhost", "/b-one/" + new string('k', 1025), ""));
        Assert.Equal(S3ErrorCode.KeyTooLongError, error.Code);
    }

    [Theory]
    [InlineData("/Bad_Bucket/k")]
    [InlineData("/ab/k")]
    [InlineData("/192.168.1.1/k")]
    public void InvalidBucketNamesAreRejected(string path)
    {
        var error = Assert.Throws<S3Exception>(() => _router.Route("GET", "localhost", path, ""));
        Assert.Equal(S3ErrorCode.InvalidBucketName, error.Code);
    }

    [Fact]
    public void InvalidUtf8InThePathIsInvalidUri()
    {
        var error = Assert.Throws<S3Exception>(() => _router.Route("GET", "localhost", "/b-one/%FF", ""));
        Assert.Equal(S3ErrorCode.InvalidURI, error.Code);
    }

    [Fact]
    public void PostToAnObjectWithoutASubresourceIsNotAllowed()
    {
        var error = Assert.Throws<S3Exception>(() => _router.Route("POST", "localhost", "/b-one/k", ""));
        Assert.Equal(S3ErrorCode.MethodNotAllowed, error.Code);
    }
}
