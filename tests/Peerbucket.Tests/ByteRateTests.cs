using Peerbucket.Cli;

namespace Peerbucket.Tests;

public sealed class ByteRateTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("1500", 1500L)]
    [InlineData("64K", 64L * 1024)]
    [InlineData("64k", 64L * 1024)]
    [InlineData("50M", 50L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    [InlineData(" 7M ", 7L * 1024 * 1024)]
    public void ParsesBytesPerSecondWithBinarySuffixes(string text, long expected)
    {
        Assert.True(ByteRate.TryParse(text, out var rate));
        Assert.Equal(expected, rate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M")]
    [InlineData("-5")]
    [InlineData("1.5M")]
    [InlineData("10MB")]
    [InlineData("ten")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999G")]
    public void RejectsAnythingElse(string text) => Assert.False(ByteRate.TryParse(text, out _));
}
