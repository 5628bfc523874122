using Peerbucket.Protocols.Http;

namespace Peerbucket.Protocols.Tests.Http;

public class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=10-", 100, 10, 90)]
    [InlineData("bytes=-10", 100, 90, 10)]
    [InlineData("bytes=-1000", 100, 0, 100)]
    [InlineData("bytes=90-1000", 100, 90, 10)]
    [InlineData("bytes=99-99", 100, 99, 1)]
    public void SingleRangesResolveAgainstTheSize(string header, long size, long start, long length)
    {
        var range = ByteRange.Parse(header, size, out var unsatisfiable);
        Assert.False(unsatisfiable);
        Assert.Equal(new ByteRange(start, length), range);
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=100-200", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=0-0", 0)]
    public void RangesPastTheEndAreUnsatisfiable(string header, long size)
    {
        Assert.Null(ByteRange.Parse(header, size, out var unsatisfiable));
        Assert.True(unsatisfiable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("bytes=5-1")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=")]
    public void MalformedOrMultipleRangesServeTheWholeObject(string? header)
    {
        Assert.Null(ByteRange.Parse(header, 100, out var unsatisfiable));
        Assert.False(unsatisfiable);
    }
}
