using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>Signature Version 2, from the examples of AWS's "Signing and authenticating REST requests" (the johnsmith
/// bucket, access key AKIAIOSFODNN7EXAMPLE).</summary>
public sealed class SigV2VerifierTests
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset ExampleDate = new(2007, 3, 27, 19, 36, 42, TimeSpan.Zero);

    private static string? SecretFor(string key) => key == AccessKey ? Secret : null;

    private static SigV4Request Request(string method, string path, string query, params (string Name, string Value)[] headers) =>
        new(method, path, query, [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]);

    private static SigV4Result Verify(SigV4Request request, DateTimeOffset now, string? virtualBucket = null) =>
        new SigV4Verifier().Verify(request, SecretFor, now, virtualBucket);

    [Fact]
    public void TheDocumentationsObjectGetVerifies()
    {
        // GET /photos/puppy.jpg on johnsmith.s3.amazonaws.com; string to sign "GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg".
        var request = Request("GET", "/photos/puppy.jpg", "", ("Host", "johnsmith.s3.amazonaws.com"),
            ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"), ("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="));
        Assert.Equal("GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/johnsmith/photos/puppy.jpg",
            SigV2Verifier.StringToSign(request, [], "johnsmith", "Tue, 27 Mar 2007 19:36:42 +0000"));
        var result = Verify(request, ExampleDate, "johnsmith");
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(AccessKey, result.AccessKey);

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, Verify(request, ExampleDate, "other").Error); // the bucket is signed
        Assert.Equal(S3ErrorCode.RequestTimeTooSkewed, Verify(request, ExampleDate.AddMinutes(16)).Error);
    }

    [Fact]
    public void TheDocumentationsQueryStringExampleVerifiesUntilItExpires()
    {
        // GET /photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D
        var request = Request("GET", "/johnsmith/photos/puppy.jpg",
            "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D", ("Host", "s3.amazonaws.com"));
        var result = Verify(request, DateTimeOffset.FromUnixTimeSeconds(1175139620));
        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.True(result.IsPresigned);

        var expired = Verify(request, DateTimeOffset.FromUnixTimeSeconds(1175139621));
        Assert.Equal(S3ErrorCode.AccessDenied, expired.Error);
        Assert.Equal("Request has expired", expired.ErrorMessage);
    }

    /// <summary>botocore (Debian 12's 1.29) signs ListObjectsV2 over "/bucket?list-type=2": its operation's path keeps
    /// the query although list-type is no subresource. The request must verify either way.</summary>
    [Fact]
    public void ListObjectsV2SignedOverListTypeAsBotocoreSignsItVerifies()
    {
        const string date = "Tue, 27 Mar 2007 19:36:42 +0000";
        var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
            System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes($"GET\n\n\n{date}\n/johnsmith?list-type=2")));
        var request = Request("GET", "/johnsmith", "list-type=2&prefix=a&encoding-type=url", ("Host", "s3.amazonaws.com"), ("Date", date),
            ("Authorization", $"AWS {AccessKey}:{signature}"));
        var result = Verify(request, ExampleDate);
        Assert.True(result.Succeeded, result.ErrorMessage);
        var other = Request("GET", "/johnsmith", "list-type=2&prefix=b", ("Host", "s3.amazonaws.com"), ("Date", date),
            ("Authorization", $"AWS {AccessKey}:{Convert.ToBase64String(new byte[20])}"));
        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, Verify(other, ExampleDate).Error);
    }

    [Fact]
    public void AmzHeadersAndSubresourcesAreSignedAsS3SignsThem()
    {
        var request = Request("PUT", "/b/k", "acl&x=ignored&uploadId=7", ("Content-Type", "text/plain"), ("Content-MD5", "md5"),
            ("X-Amz-Meta-B", " two "), ("x-amz-meta-a", "one"), ("X-Amz-Meta-B", "three"), ("x-amz-date", "Tue, 27 Mar 2007 21:15:45 +0000"));
        var query = SigV4Canonical.ParseQuery(request.RawQuery);
        Assert.Equal("PUT\nmd5\ntext/plain\n\nx-amz-date:Tue, 27 Mar 2007 21:15:45 +0000\nx-amz-meta-a:one\nx-amz-meta-b:two,three\n/b/k?acl&uploadId=7",
            SigV2Verifier.StringToSign(request, query, null, ""));
    }

    [Fact]
    public void AnUnknownKeyOrAMalformedHeaderIsATypedError()
    {
        var unknown = Request("GET", "/b/k", "", ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"), ("Authorization", "AWS NOBODY:bWq2s1WEIj+Ydj0vQ697zp+IXMU="));
        Assert.Equal(S3ErrorCode.InvalidAccessKeyId, Verify(unknown, ExampleDate).Error);
        var malformed = Request("GET", "/b/k", "", ("Date", "Tue, 27 Mar 2007 19:36:42 +0000"), ("Authorization", "AWS no-colon"));
        Assert.Equal(S3ErrorCode.InvalidArgument, Verify(malformed, ExampleDate).Error);
        var undated = Request("GET", "/b/k", "", ("Authorization", "AWS AKIAIOSFODNN7EXAMPLE:bWq2s1WEIj+Ydj0vQ697zp+IXMU="));
        Assert.Equal(S3ErrorCode.AccessDenied, Verify(undated, ExampleDate).Error);
    }

    [Fact]
    public void ABucketsResourceMayBeSignedWithATrailingSlash()
    {
        // botocore signs PUT /bucket (CreateBucket) as "/bucket/"; the documentation's path-style form is "/bucket".
        var date = "Tue, 27 Mar 2007 19:36:42 +0000";
        foreach (var signedPath in (string[])["/johnsmith/", "/johnsmith"])
        {
            var signature = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(
                System.Text.Encoding.UTF8.GetBytes(Secret), System.Text.Encoding.UTF8.GetBytes($"PUT\n\n\n{date}\n{signedPath}")));
            var request = Request("PUT", "/johnsmith", "", ("Date", date), ("Authorization", $"AWS {AccessKey}:{signature}"));
            Assert.True(Verify(request, ExampleDate).Succeeded, signedPath);
        }
    }
}
