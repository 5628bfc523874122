using System.Globalization;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>GetObjectAttributes: the attributes <c>x-amz-object-attributes</c> names (ETag, Checksum, ObjectParts,
/// StorageClass, ObjectSize), for whoever may read the object; ObjectParts (multipart objects only) pages with
/// <c>x-amz-max-parts</c> and <c>x-amz-part-number-marker</c>.</summary>
internal static class ObjectAttributesHandler
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize" };

    public static async Task HandleAsync(S3Request request)
    {
        var obj = request.ReadableObject(); // authorized before anything of the request is looked at
        var wanted = (request.Header("x-amz-object-attributes") ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
        }

        if (wanted.FirstOrDefault(a => !Known.Contains(a)) is { } unknown)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"Invalid attribute name specified: {unknown}");
        }

        var maxParts = Number(request, "x-amz-max-parts", 1000);
        var marker = Number(request, "x-amz-part-number-marker", 0);
        request.Response.Headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
        await request.WriteXmlAsync(S3Xml.Document("GetObjectAttributesResponse", w =>
        {
            if (wanted.Contains("ETag"))
            {
                w.Element("ETag", obj.ETag);
            }

            if (wanted.Contains("Checksum") && obj.Checksums.Count > 0)
            {
                w.WriteStartElement("Checksum", S3Xml.Namespace);
                foreach (var (algorithm, value) in obj.Checksums)
                {
                    w.Element("Checksum" + algorithm, value);
                }

                w.Element("ChecksumType", obj.Parts.Count > 0 ? "COMPOSITE" : "FULL_OBJECT");
                w.WriteEndElement();
            }

            if (wanted.Contains("ObjectParts") && obj.Parts.Count > 0)
            {
                WriteParts(w, obj.Parts, marker, maxParts);
            }

            if (wanted.Contains("StorageClass"))
            {
                w.Element("StorageClass", "STANDARD");
            }

            if (wanted.Contains("ObjectSize"))
            {
                w.Element("ObjectSize", obj.Size);
            }
        }));
    }

    private static void WriteParts(System.Xml.XmlWriter w, IReadOnlyList<ObjectPart> parts, int marker, int maxParts)
    {
        var page = parts.Select((part, i) => (Number: i + 1, Part: part)).Where(p => p.Number > marker).Take(maxParts).ToList();
        var truncated = page.Count > 0 && page[^1].Number < parts.Count;
        w.WriteStartElement("ObjectParts", S3Xml.Namespace);
        w.Element("PartsCount", parts.Count); // the wire name (SDKs call the member TotalPartsCount)
        w.Element("PartNumberMarker", marker);
        w.Element("NextPartNumberMarker", page.Count > 0 ? page[^1].Number : marker);
        w.Element("MaxParts", maxParts);
        w.Element("IsTruncated", truncated);
        foreach (var (number, part) in page)
        {
            w.WriteStartElement("Part", S3Xml.Namespace);
            w.Element("PartNumber", number);
            w.Element("Size", part.Size);
            foreach (var (algorithm, value) in part.Checksums)
            {
                w.Element("Checksum" + algorithm, value);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    private static int Number(S3Request request, string header, int fallback) => request.Header(header) is not { } raw ? fallback
        : int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw new S3Exception(S3ErrorCode.InvalidArgument, $"{header} is not a whole number.");
}
