using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;

namespace Peerbucket.S3.Tests.Http;

public class PreconditionsTests
{
    private static readonly DateTimeOffset Modified = new(2024, 5, 1, 12, 0, 0, 500, TimeSpan.Zero);
    private const string ETag = "d41d8cd98f00b204e9800998ecf8427e";

    private static S3ErrorCode? Outcome(params (string Name, string Value)[] headers)
    {
        try
        {
            Preconditions.Check(name => headers.FirstOrDefault(h => h.Name == name).Value, "if-", ETag, Modified);
            return null;
        }
        catch (S3Exception error)
        {
            return error.Code;
        }
    }

    [Fact]
    public void IfMatchWithTheETagPasses() => Assert.Null(Outcome(("if-match", $"\"{ETag}\"")));

    [Fact]
    public void IfMatchWithAnotherETagFails() => Assert.Equal(S3ErrorCode.PreconditionFailed, Outcome(("if-match", "\"other\"")));

    [Fact]
    public void IfNoneMatchWithTheETagIsNotModified() => Assert.Equal(S3ErrorCode.NotModified, Outcome(("if-none-match", $"\"{ETag}\"")));

    [Fact]
    public void IfModifiedSinceTheModificationSecondIsNotModified() =>
        Assert.Equal(S3ErrorCode.NotModified, Outcome(("if-modified-since", "Wed, 01 May 2024 12:00:00 GMT")));

    [Fact]
    public void IfModifiedSinceEarlierPasses() => Assert.Null(Outcome(("if-modified-since", "Wed, 01 May 2024 11:59:59 GMT")));

    [Fact]
    public void IfUnmodifiedSinceEarlierFails() =>
        Assert.Equal(S3ErrorCode.PreconditionFailed, Outcome(("if-unmodified-since", "Wed, 01 May 2024 11:59:59 GMT")));

    [Fact]
    public void IfMatchTrueOverridesIfUnmodifiedSinceFalse() =>
        Assert.Null(Outcome(("if-match", ETag), ("if-unmodified-since", "Wed, 01 May 2024 11:00:00 GMT")));

    [Fact]
    public void IfNoneMatchFalseAndIfModifiedSinceTrueIsNotModified() =>
        Assert.Equal(S3ErrorCode.NotModified, Outcome(("if-none-match", ETag), ("if-modified-since", "Wed, 01 May 2024 11:00:00 GMT")));

    [Fact]
    public void CopySourceConditionsFailWithPreconditionFailedNotNotModified()
    {
        var error = Assert.Throws<S3Exception>(() => Preconditions.Check(
            name => name == "x-amz-copy-source-if-none-match" ? ETag : null, "x-amz-copy-source-if-", ETag, Modified, notModifiedIsError: true));
        Assert.Equal(S3ErrorCode.PreconditionFailed, error.Code);
    }
}
