using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

/// <summary>The worked examples of "Signature Calculations for the Authorization Header" and
/// "Query String Authentication" in the Amazon S3 API reference, plus the chunked-upload seed requests.</summary>
public class SigV4VerifierExampleTests
{
    private const string Host = "examplebucket.s3.amazonaws.com";

    [Fact]
    public void GetObjectWithRangeVerifies()
    {
        var request = AwsExample.Request("GET", "/test.txt", "",
            ("Host", Host), ("Range", "bytes=0-9"), ("x-amz-content-sha256", AwsExample.EmptySha256), ("x-amz-date", AwsExample.AmzDate),
            ("Authorization", AwsExample.Authorization("host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")));

        var result = AwsExample.Verify(request);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(AwsExample.AccessKey, result.AccessKey);
        Assert.Equal("us-east-1", result.Region);
        Assert.False(result.IsAnonymous);
        Assert.False(result.IsPresigned);
        Assert.Equal(AwsExample.EmptySha256, result.ContentSha256);
    }

    [Theory]
    [InlineData("/test%24file.text")]
    [InlineData("/test$file.text")]
    public void PutObjectVerifiesWhetherTheDollarIsEncodedOrNot(string rawPath)
    {
        var request = AwsExample.Request("PUT", rawPath, "",
            ("Host", Host), ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", AwsExample.AmzDate),
            ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
            ("Authorization", AwsExample.Authorization("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class", "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")));

        var result = AwsExample.Verify(request);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", result.ContentSha256);
    }

    [Theory]
    [InlineData("lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("lifecycle=", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")]
    [InlineData("max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    [InlineData("prefix=J&max-keys=2", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    [InlineData("prefix=%4A&max-keys=2", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")]
    public void BucketGetsVerify(string rawQuery, string signature)
    {
        var request = AwsExample.Request("GET", "/", rawQuery,
            ("Host", Host), ("x-amz-content-sha256", AwsExample.EmptySha256), ("x-amz-date", AwsExample.AmzDate),
            ("Authorization", AwsExample.Authorization("host;x-amz-content-sha256;x-amz-date", signature)));

        Assert.True(AwsExample.Verify(request).Succeeded);
    }

    [Fact]
    public void AuthorizationWithSpacesAfterCommasVerifies()
    {
        var request = AwsExample.Request("GET", "/", "max-keys=2&prefix=J",
            ("Host", Host), ("x-amz-content-sha256", AwsExample.EmptySha256), ("X-Amz-Date", AwsExample.AmzDate),
            ("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date,  Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"));

        Assert.True(AwsExample.Verify(request).Succeeded);
    }

    [Fact]
    public void ReorderedAuthorizationComponentsVerify()
    {
        var request = AwsExample.Request("GET", "/", "max-keys=2&prefix=J",
            ("Host", Host), ("x-amz-content-sha256", AwsExample.EmptySha256), ("x-amz-date", AwsExample.AmzDate),
            ("Authorization", "AWS4-HMAC-SHA256 Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"));

        Assert.True(AwsExample.Verify(request).Succeeded);
    }

    public static SigV4Request PresignedExample(string signature = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404") =>
        AwsExample.Request("GET", "/test.txt",
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
            $"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature={signature}",
            ("Host", Host));

    [Fact]
    public void PresignedExampleVerifies()
    {
        var result = AwsExample.Verify(PresignedExample(), AwsExample.Time.AddHours(1));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.True(result.IsPresigned);
        Assert.Equal(AwsExample.AccessKey, result.AccessKey);
        Assert.Equal(SigV4PayloadHashes.UnsignedPayload, result.ContentSha256);
    }

    [Fact]
    public void ChunkedUploadSeedVerifiesAndCarriesTheChainStart()
    {
        var request = AwsExample.Request("PUT", "/examplebucket/chunkObject.txt", "",
            ("Host", "s3.amazonaws.com"), ("x-amz-date", AwsExample.AmzDate), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", SigV4PayloadHashes.StreamingPayload), ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"), ("Content-Length", "66824"),
            ("Authorization", AwsExample.Authorization(
                "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class",
                "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")));

        var result = AwsExample.Verify(request);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(SigV4PayloadHashes.StreamingPayload, result.ContentSha256);
        var context = Assert.IsType<SigV4SigningContext>(result.SigningContext);
        Assert.Equal("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9", context.SeedSignature);
        Assert.Equal(AwsExample.AmzDate, context.AmzDate);
        Assert.Equal(AwsExample.Scope, context.Scope);
        Assert.Equal(AwsExample.SigningKey(), context.SigningKey);
    }

    [Fact]
    public void TrailerUploadSeedVerifies()
    {
        // sigv4-streaming-trailers: the canonical request signs these seven headers (not content-length).
        var request = AwsExample.Request("PUT", "/examplebucket/chunkObject.txt", "",
            ("Host", "s3.amazonaws.com"), ("x-amz-date", AwsExample.AmzDate), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ("x-amz-content-sha256", SigV4PayloadHashes.StreamingPayloadTrailer), ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", "66560"), ("x-amz-trailer", "x-amz-checksum-crc32c"), ("Content-Length", "66824"),
            ("Authorization", AwsExample.Authorization(
                "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
                "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e")));

        var result = AwsExample.Verify(request);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(SigV4PayloadHashes.StreamingPayloadTrailer, result.ContentSha256);
        Assert.Equal("106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e", result.SigningContext!.SeedSignature);
    }

    [Fact]
    public void SigningKeyAndStringToSignMatchThePublishedIntermediates()
    {
        // The trailer example's string to sign hashes its canonical request to 44d48b8c...
        const string canonical = "PUT\n/examplebucket/chunkObject.txt\n\ncontent-encoding:aws-chunked\nhost:s3.amazonaws.com\n" +
            "x-amz-content-sha256:STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER\nx-amz-date:20130524T000000Z\n" +
            "x-amz-decoded-content-length:66560\nx-amz-storage-class:REDUCED_REDUNDANCY\nx-amz-trailer:x-amz-checksum-crc32c\n\n" +
            "content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer\n" +
            "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
        Assert.Equal(
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n44d48b8c2f70eae815a0198cc73d7a546a73a93359c070abbaa5e6c7de112559",
            SigV4Signing.RequestStringToSign(AwsExample.AmzDate, AwsExample.Scope, canonical));
    }
}
