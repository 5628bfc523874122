using System.Xml;
using System.Xml.Linq;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Xml;

/// <summary>
/// Reads request documents (DeleteObjects, CompleteMultipartUpload, AccessControlPolicy, CreateBucketConfiguration):
/// bounded in size and nesting depth, no DTDs, one linear pass. Anything else is the caller's malformed-XML code.
/// </summary>
internal static class RequestXml
{
    public const int MaxRequestBytes = 2 * 1024 * 1024;

    /// <summary>Deepest element nesting accepted, far above any S3 request document (AccessControlPolicy, the deepest,
    /// nests 5 levels). Adding a node to an XElement tree walks up to its root, so XElement.Load costs time quadratic
    /// in depth (100,000 nested elements: half a minute of CPU); the tree is built here instead, and an element
    /// deeper than this is refused as it is read.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// CheckCharacters is off: a key may hold characters XML 1.0 cannot carry, and responses write them as character
    /// references (<c>&amp;#x1;</c>, see <see cref="S3Xml"/>), so a client may send them back the same way to delete
    /// such a key. The raw characters stay malformed (XmlReader refuses them whatever its settings), and line ends
    /// are normalized as XML says (a raw CR reads as LF): keys with CR must be sent as <c>&amp;#xD;</c>, as Amazon S3
    /// documents.
    /// </summary>
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxRequestBytes,
        CheckCharacters = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Reads a request body as XML; empty, oversized, too deep or malformed bodies are <paramref name="malformed"/>.</summary>
    public static async Task<XElement> ReadAsync(Stream body, CancellationToken cancellationToken, S3ErrorCode malformed = S3ErrorCode.MalformedXML) =>
        Parse(await ReadBytesAsync(body, cancellationToken, malformed), malformed);

    /// <summary>The whole body, at most <see cref="MaxRequestBytes"/>.</summary>
    public static async Task<byte[]> ReadBytesAsync(Stream body, CancellationToken cancellationToken, S3ErrorCode malformed = S3ErrorCode.MalformedXML)
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

        return buffer.ToArray();
    }

    public static XElement Parse(byte[] bytes, S3ErrorCode malformed = S3ErrorCode.MalformedXML)
    {
        if (bytes.Length == 0)
        {
            throw new S3Exception(malformed);
        }

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), Settings);
            return Build(reader) ?? throw new S3Exception(malformed);
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

    /// <summary>Elements, their attributes (namespace declarations aside: names carry their namespace) and text;
    /// comments and processing instructions are skipped. Null when the document has no root element.</summary>
    private static XElement? Build(XmlReader reader)
    {
        var open = new Stack<XElement>();
        XElement? root = null;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (reader.Depth >= MaxDepth)
                    {
                        throw new XmlException($"Elements are nested deeper than {MaxDepth} levels.");
                    }

                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    while (reader.MoveToNextAttribute())
                    {
                        if (reader.NamespaceURI != XNamespace.Xmlns.NamespaceName)
                        {
                            element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
                        }
                    }

                    reader.MoveToElement();
                    if (open.TryPeek(out var parent))
                    {
                        parent.Add(element);
                    }
                    else
                    {
                        root = element;
                    }

                    if (!reader.IsEmptyElement)
                    {
                        open.Push(element);
                    }

                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (open.TryPeek(out var holder))
                    {
                        holder.Add(new XText(reader.Value));
                    }

                    break;
            }
        }

        return root;
    }
}
