using Peerbucket.S3.Routing;

namespace Peerbucket.S3.Tests.Routing;

public class BucketNamesTests
{
    [Theory]
    [InlineData("docexamplebucket1")]
    [InlineData("log-delivery-march-2020")]
    [InlineData("my-hosted-content")]
    [InlineData("docexamplewebsite.com")]
    [InlineData("www.docexamplewebsite.com")]
    [InlineData("my.example.s3.bucket")]
    [InlineData("abc")]
    public void AwsValidExamplesAreValid(string name) => Assert.True(BucketNames.IsValid(name));

    [Theory]
    [InlineData("doc_example_bucket")]
    [InlineData("DocExampleBucket")]
    [InlineData("doc-example-bucket-")]
    [InlineData("ab")]
    [InlineData("a..b")]
    [InlineData("192.168.5.4")]
    [InlineData("xn--bucket")]
    [InlineData("bucket-s3alias")]
    [InlineData("_health")]
    public void AwsInvalidExamplesAreInvalid(string name) => Assert.False(BucketNames.IsValid(name));

    [Fact]
    public void SixtyFourCharactersIsTooLong()
    {
        Assert.True(BucketNames.IsValid(new string('a', 63)));
        Assert.False(BucketNames.IsValid(new string('a', 64)));
    }
}
