using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Xml;

/// <summary>Writes S3 response documents and reads request documents (bounded, no DTDs).</summary>
internal static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";
    public const int MaxRequestBytes = 2 * 1024 * 1024;

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
    };

    /// <summary>A document whose root is in the S3 namespace (or none, for Error).</summary>
    public static byte[] Document(string root, Action<XmlWriter> body, bool inNamespace = true)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, Settings))
        {
            writer.WriteStartDocument();
            if (inNamespace)
            {
                writer.WriteStartElement(root, Namespace);
            }
            else
            {
                writer.WriteStartElement(root);
            }

            body(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Quote(string etag) => $"\"{etag}\"";

    public static void Element(this XmlWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteElementString(name, Namespace, value);
        }
    }

    public static void Element(this XmlWriter writer, string name, long value) =>
        writer.WriteElementString(name, Namespace, value.ToString(CultureInfo.InvariantCulture));

    public static void Element(this XmlWriter writer, string name, bool value) =>
        writer.WriteElementString(name, Namespace, value ? "true" : "false");

    /// <summary>Reads a request body as XML; empty, oversized or malformed bodies are MalformedXML.</summary>
    public static async Task<XElement> ReadAsync(Stream body, CancellationToken cancellationToken, S3ErrorCode malformed = S3ErrorCode.MalformedXML)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxRequestBytes)
            {
                throw new S3Exception(malformed, "The XML document is too large.");
            }
        }

        return Parse(buffer.ToArray(), malformed);
    }

    public static XElement Parse(byte[] bytes, S3ErrorCode malformed = S3ErrorCode.MalformedXML)
    {
        if (bytes.Length == 0)
        {
            throw new S3Exception(malformed);
        }

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                MaxCharactersInDocument = MaxRequestBytes,
            });
            return XElement.Load(reader);
        }
        catch (XmlException)
        {
            throw new S3Exception(malformed);
        }
    }

    /// <summary>Child elements by local name, whatever namespace the client used (clients differ).</summary>
    public static IEnumerable<XElement> Children(this XElement element, string localName) =>
        element.Elements().Where(e => e.Name.LocalName == localName);

    public static string? ChildValue(this XElement element, string localName) =>
        element.Children(localName).FirstOrDefault()?.Value;
}
