using Peerbucket.S3.Auth;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Tests.Auth;

public class SigV4VerifierTests
{
    private const string Host = "examplebucket.s3.amazonaws.com";
    private const string LocalHost = "127.0.0.1:9000";

    private static SigV4Request ListExample(string authorization, string date = AwsExample.AmzDate, string? contentSha256 = AwsExample.EmptySha256)
    {
        var headers = new List<(string, string)> { ("Host", Host), ("x-amz-date", date), ("Authorization", authorization) };
        if (contentSha256 is not null)
        {
            headers.Add(("x-amz-content-sha256", contentSha256));
        }

        return AwsExample.Request("GET", "/", "max-keys=2&prefix=J", [.. headers]);
    }

    private static string ListAuthorization(string signature = "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") =>
        AwsExample.Authorization("host;x-amz-content-sha256;x-amz-date", signature);

    private static void AssertFails(SigV4Result result, S3ErrorCode code, string? messagePart = null)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(code, result.Error);
        if (messagePart is not null)
        {
            Assert.Contains(messagePart, result.ErrorMessage);
        }

        var thrown = Assert.Throws<S3Exception>(() => result.ThrowIfFailed());
        Assert.Equal(code, thrown.Code);
    }

    // Signed by botocore 1.43 (S3SigV4Auth) at 20130524T000000Z against http://127.0.0.1:9000.
    [Theory]
    [InlineData("/examplebucket/my%20key%2Bplus%25pct~tilde/%C3%A9t%C3%A9%21.txt", "", "us-east-1", "200015db5c2c06e0812bd216ed64aa1ca929ae4b1cb56688681801fe6b1e732a")]
    [InlineData("/examplebucket/obj", "torrent", "us-east-1", "c769c23f864cb2e44ba376f6d82fc4069019ea7468d64d4d9b58a20c69786d13")]
    [InlineData("/examplebucket", "acl", "garage", "8671316ff750f6ea7a3a0d64a399f7dfa7f1692df026b8922da2e2181bff89a1")]
    [InlineData("/examplebucket", "tag=b&tag=a&list-type=2&prefix=a%20b%2Fc", "eu-central-1", "de925ed7a9ebbb2258e1747e5a3085c63c59cfe2e3c99b84be6b5dc0435c3fbd")]
    public void BotocoreSignedEdgeCasesVerify(string rawPath, string rawQuery, string region, string signature)
    {
        var request = AwsExample.Request("GET", rawPath, rawQuery,
            ("Host", LocalHost), ("X-Amz-Date", AwsExample.AmzDate), ("X-Amz-Content-SHA256", AwsExample.EmptySha256),
            ("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/{region}/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}"));

        var result = AwsExample.Verify(request);

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal(region, result.Region);
    }

    [Fact]
    public void BotocoreSignedHeadersWithRunsOfSpacesVerify()
    {
        var request = AwsExample.Request("PUT", "/examplebucket/x", "partNumber=1&uploadId=a%2Fb%2Bc%3D%3D",
            ("Host", LocalHost), ("Content-Type", "text/plain"), ("x-amz-meta-Note", "  two   spaces  "),
            ("X-Amz-Date", AwsExample.AmzDate), ("X-Amz-Content-SHA256", AwsExample.EmptySha256),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note, Signature=fbc9d278f83d1844f5f44a0b3cb5673868c8269c7f05a5497c3ac249a03a9c55"));

        Assert.True(AwsExample.Verify(request).Succeeded);
    }

    [Fact]
    public void BotocorePresignedUrlWithOddKeyVerifies()
    {
        var request = AwsExample.Request("GET", "/examplebucket/a%20b%2Bc.txt",
            "versionId=3&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=f01888c276405de48da5cbc57ed5c3a7ee5b5ad624e4a852427a2d70f3a7754b",
            ("Host", LocalHost));

        var result = AwsExample.Verify(request, AwsExample.Time.AddMinutes(59));

        Assert.True(result.Succeeded, result.ErrorMessage);
        Assert.Equal("us-west-2", result.Region);
    }

    [Fact]
    public void NoAuthenticationIsAnonymous()
    {
        var result = AwsExample.Verify(AwsExample.Request("GET", "/bucket/key", "torrent", ("Host", Host)));

        Assert.True(result.Succeeded);
        Assert.True(result.IsAnonymous);
        Assert.Null(result.AccessKey);
        Assert.Null(result.SigningContext);
    }
    [Fact]
    public void WrongSecretDoesNotMatch() =>
        AssertFails(new SigV4Verifier().Verify(ListExample(ListAuthorization()), _ => "not-the-secret", AwsExample.Time), S3ErrorCode.SignatureDoesNotMatch);

    [Fact]
    public void TamperedQueryDoesNotMatch()
    {
        var request = ListExample(ListAuthorization()) with { RawQuery = "max-keys=3&prefix=J" };
        AssertFails(AwsExample.Verify(request), S3ErrorCode.SignatureDoesNotMatch);
    }

    [Fact]
    public void UppercaseSignatureHexStillMatches() =>
        Assert.True(AwsExample.Verify(ListExample(ListAuthorization("34B48302E7B5FA45BDE8084F4B7868A86F0A534BC59DB6670ED5711EF69DC6F7"))).Succeeded);

    [Theory]
    [InlineData("34b48302")]
    [InlineData("34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6fz")]
    public void ShortOrNonHexSignatureDoesNotMatch(string signature) =>
        AssertFails(AwsExample.Verify(ListExample(ListAuthorization(signature))), S3ErrorCode.SignatureDoesNotMatch);

    [Fact]
    public void UnknownAccessKeyIsInvalid() =>
        AssertFails(new SigV4Verifier().Verify(ListExample(ListAuthorization()), _ => null, AwsExample.Time), S3ErrorCode.InvalidAccessKeyId);

    [Theory]
    [InlineData(16)]
    [InlineData(-16)]
    public void ClockSkewOverFifteenMinutesIsRejected(int minutes) =>
        AssertFails(AwsExample.Verify(ListExample(ListAuthorization()), AwsExample.Time.AddMinutes(minutes)), S3ErrorCode.RequestTimeTooSkewed);

    [Theory]
    [InlineData(14)]
    [InlineData(-14)]
    public void ClockSkewWithinFifteenMinutesIsAccepted(int minutes) =>
        Assert.True(AwsExample.Verify(ListExample(ListAuthorization()), AwsExample.Time.AddMinutes(minutes)).Succeeded);

    [Fact]
    public void MissingDateIsAccessDenied()
    {
        var request = AwsExample.Request("GET", "/", "", ("Host", Host), ("x-amz-content-sha256", AwsExample.EmptySha256), ("Authorization", ListAuthorization()));
        AssertFails(AwsExample.Verify(request), S3ErrorCode.AccessDenied, "Date");
    }

    [Fact]
    public void MissingContentSha256IsAClearError() =>
        AssertFails(AwsExample.Verify(ListExample(ListAuthorization(), contentSha256: null)), S3ErrorCode.InvalidRequest, "x-amz-content-sha256");

    [Fact]
    public void BogusContentSha256IsInvalidArgument() =>
        AssertFails(AwsExample.Verify(ListExample(ListAuthorization(), contentSha256: "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD")), S3ErrorCode.InvalidArgument);

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host", "Signature")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3,SignedHeaders=host,Signature=00", "Credential")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request,SignedHeaders=host,Signature=00", "service")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request,SignedHeaders=host,Signature=00", "terminator")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request,SignedHeaders=host,Signature=00", "date")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=x-amz-date,Signature=00", "host")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;;x-amz-date,Signature=00", "empty")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,Credential=x,SignedHeaders=host,Signature=00", "twice")]
    [InlineData("AWS4-HMAC-SHA256 garbage", "garbage")]
    public void MalformedAuthorizationHeadersSayWhy(string authorization, string messagePart) =>
        AssertFails(AwsExample.Verify(ListExample(authorization)), S3ErrorCode.AuthorizationHeaderMalformed, messagePart);

    [Fact]
    public void UnknownAuthorizationSchemeIsInvalidArgument() =>
        AssertFails(AwsExample.Verify(ListExample("Bearer abc")), S3ErrorCode.InvalidArgument);

    [Fact]
    public void HeaderAndQueryAuthTogetherAreRejected()
    {
        var request = SigV4VerifierExampleTests.PresignedExample();
        request = request with { Headers = [.. request.Headers, new("Authorization", ListAuthorization())] };
        AssertFails(AwsExample.Verify(request, AwsExample.Time), S3ErrorCode.InvalidArgument);
    }

    [Fact]
    public void SignedHeaderAbsentFromRequestDoesNotMatch()
    {
        var request = ListExample(AwsExample.Authorization("host;range;x-amz-content-sha256;x-amz-date", "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        AssertFails(AwsExample.Verify(request), S3ErrorCode.SignatureDoesNotMatch, "range");
    }

    [Fact]
    public void AnUnsignedAmzHeaderIsRefusedAndNamed()
    {
        var request = ListExample(ListAuthorization());
        request = request with { Headers = [.. request.Headers, new("X-Amz-Acl", "public-read"), new("x-amz-meta-a", "1"), new("X-AMZ-ACL", "private")] };
        AssertFails(AwsExample.Verify(request), S3ErrorCode.AccessDenied, "not signed: x-amz-acl, x-amz-meta-a");
    }

    [Fact]
    public void OtherUnsignedHeadersAreAllowed()
    {
        var request = ListExample(ListAuthorization());
        request = request with { Headers = [.. request.Headers, new("User-Agent", "test"), new("Accept-Encoding", "identity")] };
        Assert.True(AwsExample.Verify(request).Succeeded);
    }

    [Fact]
    public void ExpiredPresignedUrlIsAccessDenied() =>
        AssertFails(AwsExample.Verify(SigV4VerifierExampleTests.PresignedExample(), AwsExample.Time.AddSeconds(86401)), S3ErrorCode.AccessDenied, "Request has expired");

    [Fact]
    public void PresignedUrlDatedInTheFutureIsRejected() =>
        AssertFails(AwsExample.Verify(SigV4VerifierExampleTests.PresignedExample(), AwsExample.Time.AddMinutes(-16)), S3ErrorCode.AccessDenied, "not valid yet");

    [Fact]
    public void PresignedUrlIgnoresClockSkewWithinItsLifetime() =>
        Assert.True(AwsExample.Verify(SigV4VerifierExampleTests.PresignedExample(), AwsExample.Time.AddHours(23)).Succeeded);

    [Fact]
    public void PresignedWithBadSignatureDoesNotMatch() =>
        AssertFails(AwsExample.Verify(SigV4VerifierExampleTests.PresignedExample(new string('0', 64))), S3ErrorCode.SignatureDoesNotMatch);

    [Theory]
    [InlineData("X-Amz-Expires=604801", "604800")]
    [InlineData("X-Amz-Expires=609901", "604800")]
    [InlineData("X-Amz-Expires=0", "expired")]
    [InlineData("X-Amz-Expires=-7", "expired")]
    public void PresignedExpiryOutOfRangeIsAccessDenied(string expires, string messagePart)
    {
        var request = SigV4VerifierExampleTests.PresignedExample();
        request = request with { RawQuery = request.RawQuery.Replace("X-Amz-Expires=86400", expires, StringComparison.Ordinal) };
        AssertFails(AwsExample.Verify(request), S3ErrorCode.AccessDenied, messagePart);
    }

    [Theory]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=abc", "X-Amz-Expires")]
    [InlineData("X-Amz-Expires=86400", "X-Amz-Expires=1e3", "X-Amz-Expires")]
    [InlineData("X-Amz-Expires=86400&", "", "X-Amz-Expires is missing")]
    [InlineData("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1", "X-Amz-Algorithm")]
    [InlineData("X-Amz-Date=20130524T000000Z", "X-Amz-Date=2013-05-24", "X-Amz-Date")]
    [InlineData("%2Fs3%2F", "%2Fsts%2F", "service")]
    [InlineData("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host&X-Amz-SignedHeaders=host", "more than once")]
    public void MalformedPresignedQueriesSayWhy(string from, string to, string messagePart)
    {
        var request = SigV4VerifierExampleTests.PresignedExample();
        request = request with { RawQuery = request.RawQuery.Replace(from, to, StringComparison.Ordinal) };
        AssertFails(AwsExample.Verify(request), S3ErrorCode.AuthorizationQueryParametersError, messagePart);
    }
}
