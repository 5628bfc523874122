using System.Xml.Linq;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Xml;

namespace Peerbucket.S3.Tagging;

/// <summary>
/// S3 tags as a request gives them (a <c>Tagging</c> document, or the <c>x-amz-tagging</c> header's URL-encoded query
/// form) and as responses list them (by key, ordinal). S3's limits: at most 10 tags on an object and 50 on a bucket,
/// keys of 1 to 128 characters, values of at most 256, no key twice, none of the reserved <c>aws:</c> prefix.
/// </summary>
internal static class TagSet
{
    public const int MaxObjectTags = 10;
    public const int MaxBucketTags = 50;
    private const int MaxKeyLength = 128;
    private const int MaxValueLength = 256;

    private static readonly SortedDictionary<string, string> Empty = new(StringComparer.Ordinal);

    /// <summary>The tags of a <c>&lt;Tagging&gt;&lt;TagSet&gt;&lt;Tag&gt;...</c> document.</summary>
    public static IReadOnlyDictionary<string, string> FromXml(XElement root, int maxTags)
    {
        if (root.Name.LocalName != "Tagging" || root.Children("TagSet").SingleOrDefault() is not { } set)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var pairs = set.Children("Tag").Select(tag => (
            Key: tag.ChildValue("Key") ?? throw new S3Exception(S3ErrorCode.MalformedXML),
            Value: tag.ChildValue("Value") ?? ""));
        return Validated(pairs, maxTags);
    }

    /// <summary>The tags of an <c>x-amz-tagging</c> header (<c>k1=v1&amp;k2=v2&amp;k3</c>, URL-encoded); none for null.</summary>
    public static IReadOnlyDictionary<string, string> FromHeader(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return Empty;
        }

        var pairs = new List<(string, string)>();
        foreach (var pair in header.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            pairs.Add(equals < 0 ? (Decode(pair), "") : (Decode(pair[..equals]), Decode(pair[(equals + 1)..])));
        }

        return Validated(pairs, MaxObjectTags);
    }

    /// <summary>The <c>Tagging</c> document listing <paramref name="tags"/>.</summary>
    public static byte[] ToXml(IReadOnlyDictionary<string, string> tags) => S3Xml.Document("Tagging", w =>
    {
        w.WriteStartElement("TagSet", S3Xml.Namespace);
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            w.WriteStartElement("Tag", S3Xml.Namespace);
            w.Element("Key", key);
            w.Element("Value", value);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    });

    private static string Decode(string part)
    {
        try
        {
            return Uri.UnescapeDataString(part.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The x-amz-tagging header is not URL-encoded.");
        }
    }

    private static SortedDictionary<string, string> Validated(IEnumerable<(string Key, string Value)> pairs, int maxTags)
    {
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (key.Length is 0 or > MaxKeyLength)
            {
                throw Invalid($"The TagKey you have provided is invalid: it must be 1 to {MaxKeyLength} characters.");
            }

            if (value.Length > MaxValueLength)
            {
                throw Invalid($"The TagValue you have provided is too long: at most {MaxValueLength} characters.");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("Your TagKey cannot be prefixed with aws:");
            }

            if (!tags.TryAdd(key, value))
            {
                throw Invalid("Cannot provide multiple Tags with the same key");
            }

            if (tags.Count > maxTags)
            {
                throw Invalid($"{(maxTags == MaxObjectTags ? "Object" : "Bucket")} tags cannot be greater than {maxTags}");
            }
        }

        return tags;
    }

    private static S3Exception Invalid(string message) => new(S3ErrorCode.InvalidTag, message);
}
