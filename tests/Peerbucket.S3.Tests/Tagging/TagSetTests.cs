using Peerbucket.S3.Errors;
using Peerbucket.S3.Tagging;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Tests.Tagging;

public sealed class TagSetTests
{
    [Fact]
    public void TheHeaderFormIsAUrlEncodedQueryWhoseBareKeysHaveEmptyValues()
    {
        // ceph/s3-tests test_put_obj_with_tags: 'foo=bar&bar' lists as bar='' then foo='bar' (by key).
        Assert.Equal([new("bar", ""), new("foo", "bar")], TagSet.FromHeader("foo=bar&bar").ToList());
        Assert.Equal("raw v1", TagSet.FromHeader("stage=raw%20v1")["stage"]);
        Assert.Equal("a b", TagSet.FromHeader("k=a+b")["k"]);
        Assert.Empty(TagSet.FromHeader(null));
    }

    [Theory]
    [InlineData("a=1&a=2")] // a key twice
    [InlineData("aws:created=1")] // the reserved prefix
    [InlineData("=v")] // an empty key
    [InlineData("0&1&2&3&4&5&6&7&8&9&10")] // eleven tags on an object
    public void InvalidHeaderTagSetsAreInvalidTag(string header) =>
        Assert.Equal(S3ErrorCode.InvalidTag, Assert.Throws<S3Exception>(() => TagSet.FromHeader(header)).Code);

    [Fact]
    public void KeysAndValuesHaveS3sLengthLimits()
    {
        Assert.Single(TagSet.FromHeader(new string('k', 128) + "=" + new string('v', 256)));
        Assert.Equal(S3ErrorCode.InvalidTag, Assert.Throws<S3Exception>(() => TagSet.FromHeader(new string('k', 129) + "=v")).Code);
        Assert.Equal(S3ErrorCode.InvalidTag, Assert.Throws<S3Exception>(() => TagSet.FromHeader("k=" + new string('v', 257))).Code);
    }

    [Fact]
    public void ADocumentRoundTripsAndABucketMayHoldFiftyTags()
    {
        var fifty = string.Concat(Enumerable.Range(0, 50).Select(i => $"<Tag><Key>k{i}</Key><Value>v{i}</Value></Tag>"));
        var xml = RequestXml.Parse(System.Text.Encoding.UTF8.GetBytes($"<Tagging><TagSet>{fifty}</TagSet></Tagging>"));
        var tags = TagSet.FromXml(xml, TagSet.MaxBucketTags);
        Assert.Equal(50, tags.Count);
        Assert.Equal(tags, TagSet.FromXml(RequestXml.Parse(TagSet.ToXml(tags)), TagSet.MaxBucketTags));
        Assert.Equal(S3ErrorCode.InvalidTag, Assert.Throws<S3Exception>(() => TagSet.FromXml(xml, TagSet.MaxObjectTags)).Code);
    }

    [Fact]
    public void ADocumentWithoutATagSetIsMalformedXml() =>
        Assert.Equal(S3ErrorCode.MalformedXML, Assert.Throws<S3Exception>(() =>
            TagSet.FromXml(RequestXml.Parse("<Tagging><Tag><Key>k</Key></Tag></Tagging>"u8.ToArray()), TagSet.MaxObjectTags)).Code);
}
