using System.Text;
using Peerbucket.S3.Errors;
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

    [Fact]
    public void TimestampsAreIso8601WithMilliseconds() =>
        Assert.Equal("2009-10-12T17:50:30.000Z", S3Xml.Timestamp(new DateTimeOffset(2009, 10, 12, 17, 50, 30, TimeSpan.Zero)));

    [Theory]
    [InlineData("")]
    [InlineData("<Delete>")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><Delete>&a;</Delete>")]
    public void MalformedOrDtdBodiesAreMalformedXml(string body)
    {
        var error = Assert.Throws<S3Exception>(() => S3Xml.Parse(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(S3ErrorCode.MalformedXML, error.Code);
    }

    [Fact]
    public void ChildrenAreFoundWhateverNamespaceTheClientUsed()
    {
        var withNs = S3Xml.Parse(Encoding.UTF8.GetBytes("""<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>a</Key></Object></Delete>"""));
        var without = S3Xml.Parse(Encoding.UTF8.GetBytes("<Delete><Object><Key>a</Key></Object></Delete>"));
        Assert.Equal("a", withNs.Children("Object").Single().ChildValue("Key"));
        Assert.Equal("a", without.Children("Object").Single().ChildValue("Key"));
    }
}
