using System.Text;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Post;

namespace Peerbucket.S3.Tests.Post;

/// <summary>POST policy documents as the AWS "Creating a POST Policy" page describes them: expiration, the three
/// condition forms, content-length-range; names of conditions and fields are matched without case.</summary>
public sealed class PostPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static readonly string Example = Encode("""
        { "expiration": "2026-12-30T12:00:00.000Z",
          "conditions": [
            {"bucket": "sigv4examplebucket"},
            ["starts-with", "$key", "user/user1/"],
            {"acl": "public-read"},
            ["StArTs-WiTh", "$Content-Type", "image/"],
            ["eq", "$x-amz-meta-uuid", "14365123651274"],
            ["starts-with", "$x-amz-meta-tag", ""],
            ["content-length-range", 1, 1048576]
          ]
        }
        """);

    private static Dictionary<string, string> Fields() => new()
    {
        ["key"] = "user/user1/photo.jpg",
        ["acl"] = "public-read",
        ["content-type"] = "image/jpeg",
        ["x-amz-meta-uuid"] = "14365123651274",
        ["x-amz-meta-tag"] = "",
        ["policy"] = Example,
        ["x-amz-signature"] = "abc",
        ["x-ignore-me"] = "anything",
    };

    [Fact]
    public void TheDocumentationsExampleParsesAndAFormThatMeetsItPasses()
    {
        var policy = PostPolicy.Parse(Example);
        Assert.Equal(new DateTimeOffset(2026, 12, 30, 12, 0, 0, TimeSpan.Zero), policy.Expiration);
        Assert.Equal((1L, 1048576L), (policy.MinLength!.Value, policy.MaxLength!.Value));
        policy.Check(Fields(), "sigv4examplebucket", Now);
    }

    [Theory]
    [InlineData("key", "user/user2/photo.jpg")]
    [InlineData("acl", "private")]
    [InlineData("content-type", "text/plain")]
    [InlineData("x-amz-meta-uuid", "1")]
    public void AFieldThatFailsItsConditionIsAccessDenied(string field, string value)
    {
        var fields = Fields();
        fields[field] = value;
        var error = Assert.Throws<S3Exception>(() => PostPolicy.Parse(Example).Check(fields, "sigv4examplebucket", Now));
        Assert.Equal(S3ErrorCode.AccessDenied, error.Code);
    }

    [Fact]
    public void AnotherBucketAFieldNoConditionNamesAndAnExpiredPolicyAreAccessDenied()
    {
        var policy = PostPolicy.Parse(Example);
        Assert.Equal(S3ErrorCode.AccessDenied, Assert.Throws<S3Exception>(() => policy.Check(Fields(), "otherbucket", Now)).Code);
        var extra = Fields();
        extra["x-amz-meta-other"] = "x";
        Assert.Contains("Extra input fields", Assert.Throws<S3Exception>(() => policy.Check(extra, "sigv4examplebucket", Now)).Message, StringComparison.Ordinal);
        Assert.Contains("expired", Assert.Throws<S3Exception>(() => policy.Check(Fields(), "sigv4examplebucket", Now.AddMonths(1))).Message, StringComparison.Ordinal);
    }

    /// <summary>Found by the post-policy fuzz target: a byte that is not UTF-8 inside a JSON string ("$k\xAAey") threw
    /// from the JSON reader's string decoding (a 500) instead of being a malformed policy.</summary>
    [Fact]
    public void APolicyThatIsNotUtf8IsInvalidPolicyDocument()
    {
        byte[] json = [.. "{\"expiration\": \"2030-01-01T00:00:00Z\", \"conditions\": [[\"starts-with\", \"$k"u8, 0xAA, .. "ey\", \"u/\"]]}"u8];
        var error = Assert.Throws<S3Exception>(() => PostPolicy.Parse(Convert.ToBase64String(json)));
        Assert.Equal(S3ErrorCode.InvalidPolicyDocument, error.Code);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("e30=")] // {}: no expiration
    [InlineData("""{"EXPIRATION": "2030-01-01T00:00:00Z", "conditions": []}""")]
    [InlineData("""{"expiration": "2030-01-01 00:00:00", "conditions": []}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z"}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "CONDITIONS": []}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "conditions": [{}]}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", 0]]}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "conditions": [["content-length-range", -1, 0]]}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "conditions": [["ends-with", "$key", "x"]]}""")]
    [InlineData("""{"expiration": "2030-01-01T00:00:00Z", "conditions": [["eq", "key", "x"]]}""")]
    [InlineData("[]")]
    public void AMalformedPolicyIsInvalidPolicyDocument(string document)
    {
        var encoded = document.StartsWith('{') || document.StartsWith('[') ? Encode(document) : document;
        var error = Assert.Throws<S3Exception>(() => PostPolicy.Parse(encoded));
        Assert.Equal(S3ErrorCode.InvalidPolicyDocument, error.Code);
        Assert.Equal(400, S3Errors.StatusOf(error.Code));
    }
}
