using System.Text;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Tests.Xml;

public class S3XmlTests
{
    [Fact]
    public void DocumentsAreInTheS3Namespace()
    {
        var xml = Encoding.UTF8.GetString(S3Xml.Document("ListBucketResult", w => w.Element("Name", "b")));
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name></ListBucketResult>""", xml);
    }

    [Fact]
    public void ErrorDocumentsHaveNoNamespace()
    {
        var xml = Encoding.UTF8.GetString(S3Xml.Document("Error", w => w.WriteElementString("Code", "NoSuchKey"), inNamespace: false));
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><Error><Code>NoSuchKey</Code></Error>""", xml);
    }

    [Theory]
    [InlineData("a\u0001b", "a&#x1;b")]
    [InlineData("\u0000\u0008\u000b\u000c\u001f", "&#x0;&#x8;&#xB;&#xC;&#x1F;")]
    [InlineData("cr\rlf\ncrlf\r\ntab\t", "cr&#xD;lf\ncrlf&#xD;\ntab\t")]
    [InlineData("\uFFFE\uFFFF", "&#xFFFE;&#xFFFF;")]
    [InlineData("pair\uD83D\uDE00 <&>", "pair\uD83D\uDE00 &lt;&amp;&gt;")]
    public void TextXmlCannotCarryIsWrittenAsCharacterReferences(string text, string expected)
    {
        var xml = Encoding.UTF8.GetString(S3Xml.Document("ListBucketResult", w => w.Element("Key", text)));
        Assert.Equal($"""<?xml version="1.0" encoding="utf-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Key>{expected}</Key></ListBucketResult>""", xml);
    }

    [Fact]
    public void LoneSurrogatesAreWrittenAsReplacementCharacters()
    {
        // Built at run time: attribute arguments (InlineData) cannot hold lone surrogates.
        var text = "lone" + (char)0xD800 + "high lone" + (char)0xDC00 + "low" + (char)0xD800;
        var xml = Encoding.UTF8.GetString(S3Xml.Document("R", w => w.Element("Key", text)));
        Assert.EndsWith("<Key>lone\uFFFDhigh lone\uFFFDlow\uFFFD</Key></R>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorDocumentsCarryControlCharactersAsCharacterReferences()
    {
        var xml = Encoding.UTF8.GetString(S3Xml.Document("Error", w => w.UnqualifiedElement("Resource", "/b/a\u0001b"), inNamespace: false));
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><Error><Resource>/b/a&#x1;b</Resource></Error>""", xml);
    }

    [Fact]
    public void TimestampsAreIso8601WithMilliseconds() =>
        Assert.Equal("2009-10-12T17:50:30.000Z", S3Xml.Timestamp(new DateTimeOffset(2009, 10, 12, 17, 50, 30, TimeSpan.Zero)));
}
