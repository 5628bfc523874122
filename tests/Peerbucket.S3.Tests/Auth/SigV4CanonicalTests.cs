using System.Text;
using Peerbucket.S3.Auth;

namespace Peerbucket.S3.Tests.Auth;

public class SigV4CanonicalTests
{
    [Theory]
    [InlineData("", "/")]
    [InlineData("/", "/")]
    [InlineData("/bucket/my%20key", "/bucket/my%20key")]
    [InlineData("/bucket/a+b", "/bucket/a%2Bb")]
    [InlineData("/bucket/a%2Bb", "/bucket/a%2Bb")]
    [InlineData("/bucket/100%25", "/bucket/100%25")]
    [InlineData("/bucket/%7Etilde~", "/bucket/~tilde~")]
    [InlineData("/bucket/%c3%a9t%C3%A9", "/bucket/%C3%A9t%C3%A9")]
    [InlineData("/bucket/a%2Fb", "/bucket/a/b")]
    [InlineData("/bucket//double/./dot/../", "/bucket//double/./dot/../")]
    [InlineData("/bucket/test$file=(1)!*'", "/bucket/test%24file%3D%281%29%21%2A%27")]
    [InlineData("/bucket/bad%zz", "/bucket/bad%25zz")]
    public void CanonicalUriDecodesThenEncodesOnce(string rawPath, string expected) =>
        Assert.Equal(expected, SigV4Canonical.CanonicalUri(rawPath));

    [Fact]
    public void CanonicalUriEncodesUnsentUnicodeAsUtf8()
    {
        Assert.Equal("/b/%C3%A9%E2%82%AC", SigV4Canonical.CanonicalUri("/b/é€"));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("torrent", "torrent=")]
    [InlineData("acl", "acl=")]
    [InlineData("uploads&prefix=a/b&list-type=2", "list-type=2&prefix=a%2Fb&uploads=")]
    [InlineData("tag=b&tag=a", "tag=a&tag=b")]
    [InlineData("prefix=a+b", "prefix=a%20b")]
    [InlineData("prefix=a%2Bb", "prefix=a%2Bb")]
    [InlineData("prefix=%7e&delimiter=%2f", "delimiter=%2F&prefix=~")]
    [InlineData("a=1&&b=2&", "a=1&b=2")]
    [InlineData("x=%E2%82%AC", "x=%E2%82%AC")]
    [InlineData("Z=1&a=2&B=3", "B=3&Z=1&a=2")]
    public void CanonicalQuerySortsAndReencodes(string rawQuery, string expected) =>
        Assert.Equal(expected, SigV4Canonical.CanonicalQuery(rawQuery));

    [Fact]
    public void PresignedCanonicalQueryDropsOnlyTheSignature()
    {
        Assert.Equal("X-Amz-Date=1&a=",
            SigV4Canonical.CanonicalQuery("X-Amz-Signature=abc&a&X-Amz-Date=1", excludeSignature: true));
        Assert.Equal("X-Amz-Date=1&X-Amz-Signature=abc&a=",
            SigV4Canonical.CanonicalQuery("X-Amz-Signature=abc&a&X-Amz-Date=1"));
    }

    [Theory]
    [InlineData("  value  ", "value")]
    [InlineData("a   b    c", "a b c")]
    [InlineData("\t a \t b", "a b")]
    [InlineData("", "")]
    public void HeaderValuesAreTrimmedAndSpacesCollapsed(string value, string expected) =>
        Assert.Equal(expected, SigV4Canonical.CanonicalHeaderValue(value));

    [Fact]
    public void UriEncodeKeepsOnlyUnreservedBytes()
    {
        var all = Enumerable.Range(0, 256).Select(static i => (byte)i).ToArray();
        var encoded = SigV4Canonical.UriEncode(all, keepSlash: false);
        var kept = new StringBuilder();
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%')
            {
                i += 2;
            }
            else
            {
                kept.Append(encoded[i]);
            }
        }

        Assert.Equal("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~", kept.ToString());
        Assert.Equal("a%2Fb", SigV4Canonical.UriEncode("a/b"u8, keepSlash: false));
        Assert.Equal("a/b", SigV4Canonical.UriEncode("a/b"u8, keepSlash: true));
    }
}
