using System.Diagnostics;
using System.Text;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Tests.Xml;

public class RequestXmlTests
{
    [Theory]
    [InlineData("")]
    [InlineData("<Delete>")]
    [InlineData("<!-- only a comment -->")]
    [InlineData("<Delete/><Delete/>")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><Delete>&a;</Delete>")]
    public void MalformedOrDtdBodiesAreMalformedXml(string body)
    {
        var error = Assert.Throws<S3Exception>(() => RequestXml.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(S3ErrorCode.MalformedXML, error.Code);
    }

    [Fact]
    public void MalformedBodiesAreTheCallersCode()
    {
        var error = Assert.Throws<S3Exception>(() => RequestXml.Parse("<AccessControlPolicy>"u8.ToArray(), S3ErrorCode.MalformedACLError));
        Assert.Equal(S3ErrorCode.MalformedACLError, error.Code);
    }

    [Fact]
    public void ChildrenAreFoundWhateverNamespaceTheClientUsed()
    {
        var withNs = RequestXml.Parse(Encoding.UTF8.GetBytes("""<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object></Delete>"""));
        var without = RequestXml.Parse(Encoding.UTF8.GetBytes("<Delete><Object><Key>a</Key></Object></Delete>"));
        Assert.Equal("a", withNs.Children("Object").Single().ChildValue("Key"));
        Assert.Equal("a", without.Children("Object").Single().ChildValue("Key"));
    }

    /// <summary>The hardening issue's body: 300 KB of 100,000 nested elements took 34 s of CPU in XElement.Load.</summary>
    [Fact]
    public void HundredThousandNestedElementsAreMalformedXmlAtOnce()
    {
        const int depth = 100_000;
        var body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth)));
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<S3Exception>(() => RequestXml.Parse(body));
        Assert.Equal(S3ErrorCode.MalformedXML, error.Code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public void NestingUpToTheLimitIsReadAndOneDeeperIsMalformedXml()
    {
        static byte[] Nested(int depth) =>
            Encoding.UTF8.GetBytes("<Delete>" + string.Concat(Enumerable.Repeat("<a>", depth - 1)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth - 1)) + "</Delete>");

        Assert.Equal("x", RequestXml.Parse(Nested(RequestXml.MaxDepth)).Value);
        Assert.Equal(S3ErrorCode.MalformedXML, Assert.Throws<S3Exception>(() => RequestXml.Parse(Nested(RequestXml.MaxDepth + 1))).Code);
    }

    /// <summary>A wide document of the largest size accepted costs time linear in its size.</summary>
    [Fact]
    public void ThousandsOfSiblingsAreReadInOrder()
    {
        var keys = Enumerable.Range(0, 50_000).Select(i => $"k{i}").ToList();
        var body = Encoding.UTF8.GetBytes("<Delete>" + string.Concat(keys.Select(k => $"<Object><Key>{k}</Key></Object>")) + "</Delete>");
        var watch = Stopwatch.StartNew();
        var parsed = RequestXml.Parse(body);
        Assert.Equal(keys, parsed.Children("Object").Select(o => o.ChildValue("Key")));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("<Key>a&#x1;b</Key>", "a\u0001b")]
    [InlineData("<Key>&#x0;&#x1F;&#xFFFE;</Key>", "\u0000\u001f\ufffe")]
    [InlineData("<Key>cr&#xD;lf</Key>", "cr\rlf")]
    [InlineData("<Key>raw\r\nand\rcr</Key>", "raw\nand\ncr")]
    [InlineData("<Key> </Key>", " ")]
    [InlineData("<Key><![CDATA[<&>]]>&amp;</Key>", "<&>&")]
    [InlineData("<Key>a<!-- c --><?pi x?>b</Key>", "ab")]
    public void KeysAreReadWithCharacterReferencesAndLineEndsNormalized(string xml, string key)
    {
        var parsed = RequestXml.Parse(Encoding.UTF8.GetBytes($"<Delete><Object>{xml}</Object></Delete>"));
        Assert.Equal(key, parsed.Children("Object").Single().ChildValue("Key"));
    }

    /// <summary>XmlReader refuses raw characters XML cannot carry whatever its settings (botocore's ElementTree writes
    /// them so); only their character references are read.</summary>
    [Fact]
    public void RawControlCharacterIsMalformedXml() =>
        Assert.Equal(S3ErrorCode.MalformedXML, Assert.Throws<S3Exception>(() => RequestXml.Parse("<Delete><Object><Key>a\u0001b</Key></Object></Delete>"u8.ToArray())).Code);

    [Fact]
    public void AttributesAndNamespacesAreKept()
    {
        var parsed = RequestXml.Parse(Encoding.UTF8.GetBytes("""
            <AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><AccessControlList><Grant>
            <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>u</URI></Grantee>
            </Grant></AccessControlList></AccessControlPolicy>
            """));
        var grantee = parsed.Descendants().Single(e => e.Name.LocalName == "Grantee");
        Assert.Equal(S3Xml.Namespace, grantee.Name.NamespaceName);
        Assert.Equal("Group", grantee.Attribute(System.Xml.Linq.XName.Get("type", S3Xml.XsiNamespace))?.Value);
        Assert.Equal("u", grantee.ChildValue("URI"));
    }
}
