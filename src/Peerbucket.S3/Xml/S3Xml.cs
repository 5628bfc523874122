using System.Globalization;
using System.Text;
using System.Xml;

namespace Peerbucket.S3.Xml;

/// <summary>Writes S3 response documents (requests are read by <see cref="RequestXml"/>).</summary>
internal static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>
    /// Text XML 1.0 cannot carry (U+0000-U+001F but tab, LF and CR; U+FFFE, U+FFFF) is written as a character
    /// reference (<c>&amp;#x1;</c>), CR as <c>&amp;#xD;</c> so no parser folds it into LF. Strict XML 1.0 forbids
    /// those references, but Amazon S3 itself answers so (a key may hold any UTF-8, and listings without
    /// encoding-type=url return it this way), and the clients read it: the AWS SDK for .NET parses responses with an
    /// <see cref="XmlTextReader"/> that does not check characters for this very reason; boto3 and the aws cli ask for
    /// encoding-type=url in listings by default. The alternatives are worse: refusing such keys breaks S3
    /// compatibility, dropping or replacing the characters lies about the key. Lone surrogates have no UTF-8 form at
    /// all and become U+FFFD (<see cref="Carryable"/>).
    /// </summary>
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
        CheckCharacters = false,
        NewLineHandling = NewLineHandling.Entitize,
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
            writer.WriteElementString(name, Namespace, Carryable(value));
        }
    }

    /// <summary>An element in no namespace (the Error document's).</summary>
    public static void UnqualifiedElement(this XmlWriter writer, string name, string value) =>
        writer.WriteElementString(name, Carryable(value));

    /// <summary><paramref name="value"/> with every lone surrogate replaced by U+FFFD: the one kind of text the
    /// writer cannot write even as a character reference.</summary>
    public static string Carryable(string value)
    {
        var span = value.AsSpan();
        var first = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
        {
            return value;
        }

        var chars = span.ToArray();
        for (var i = first; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }

    public static void Element(this XmlWriter writer, string name, long value) =>
        writer.WriteElementString(name, Namespace, value.ToString(CultureInfo.InvariantCulture));

    public static void Element(this XmlWriter writer, string name, bool value) =>
        writer.WriteElementString(name, Namespace, value ? "true" : "false");
}
