using System.Globalization;
using System.Text;
using System.Xml;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>ListObjects (v1, marker) and ListObjectsV2 (continuation token); <see cref="ListVersionsHandler"/> lists versions.</summary>
internal static class ListObjectsHandler
{
    private enum Flavor
    {
        V1,
        V2,
    }

    public static Task V1Async(S3Request request) => ListAsync(request, Flavor.V1);

    public static Task V2Async(S3Request request) => ListAsync(request, Flavor.V2);

    private static Task ListAsync(S3Request request, Flavor flavor)
    {
        request.Authorize(S3Action.ListBucket);
        var q = request.Route.Query;
        var (prefix, delimiter, url, maxKeys) = Parameters(q);
        var token = q.Get("continuation-token");
        var startAfter = q.Get("start-after");
        var marker = flavor switch
        {
            Flavor.V1 => q.Get("marker"),
            _ => token is not null ? DecodeToken(token) : startAfter,
        };

        var page = request.Store.Objects.List(request.BucketName, prefix, delimiter, marker, maxKeys);
        var withOwner = flavor != Flavor.V2 || q.Get("fetch-owner") == "true";
        return request.WriteXmlAsync(S3Xml.Document("ListBucketResult", w =>
        {
            w.Element("Name", request.BucketName);
            w.Element("Prefix", ListEncoding.Encode(prefix, url));
            if (flavor == Flavor.V1)
            {
                w.Element("Marker", ListEncoding.Encode(marker ?? "", url));
                if (page.IsTruncated && delimiter is not null)
                {
                    w.Element("NextMarker", ListEncoding.Encode(page.NextMarker!, url));
                }
            }
            else
            {
                if (token is not null)
                {
                    w.Element("ContinuationToken", token);
                }

                if (startAfter is not null)
                {
                    w.Element("StartAfter", ListEncoding.Encode(startAfter, url));
                }

                w.Element("KeyCount", page.Objects.Count + page.CommonPrefixes.Count);
                if (page.IsTruncated)
                {
                    w.Element("NextContinuationToken", EncodeToken(page.NextMarker!));
                }
            }

            WriteSettings(w, maxKeys, delimiter, url, page.IsTruncated);
            foreach (var obj in page.Objects)
            {
                w.WriteStartElement("Contents", S3Xml.Namespace);
                w.Element("Key", ListEncoding.Encode(obj.Key, url));
                WriteObject(w, request, obj, withOwner);
                w.WriteEndElement();
            }

            WriteCommonPrefixes(w, page.CommonPrefixes, url);
        }));
    }

    /// <summary>The parameters every listing takes: prefix, delimiter (empty: none), encoding-type, max-keys.</summary>
    public static (string Prefix, string? Delimiter, bool Url, int MaxKeys) Parameters(Routing.S3Query q)
    {
        var prefix = q.Get("prefix") ?? "";
        var delimiter = q.Get("delimiter");
        if (delimiter is { Length: 0 })
        {
            delimiter = null;
        }

        var encodingType = q.Get("encoding-type");
        if (encodingType is not null && encodingType != "url")
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid Encoding Method specified in Request")
            {
                Details = [new("ArgumentName", "encoding-type"), new("ArgumentValue", encodingType)],
            };
        }

        return (prefix, delimiter, encodingType == "url", MaxKeys(q.Get("max-keys")));
    }

    /// <summary>MaxKeys, Delimiter, EncodingType, IsTruncated: the elements after the markers.</summary>
    public static void WriteSettings(XmlWriter w, int maxKeys, string? delimiter, bool url, bool isTruncated)
    {
        w.Element("MaxKeys", maxKeys);
        if (delimiter is not null)
        {
            w.Element("Delimiter", ListEncoding.Encode(delimiter, url));
        }

        if (url)
        {
            w.Element("EncodingType", "url");
        }

        w.Element("IsTruncated", isTruncated);
    }

    public static void WriteCommonPrefixes(XmlWriter w, IEnumerable<string> prefixes, bool url)
    {
        foreach (var common in prefixes)
        {
            w.WriteStartElement("CommonPrefixes", S3Xml.Namespace);
            w.Element("Prefix", ListEncoding.Encode(common, url));
            w.WriteEndElement();
        }
    }

    /// <summary>An object's elements in a listing entry after its Key (and a version's VersionId and IsLatest).</summary>
    public static void WriteObject(XmlWriter w, S3Request request, ObjectRecord obj, bool withOwner)
    {
        w.Element("LastModified", S3Xml.Timestamp(obj.LastModified));
        w.Element("ETag", S3Xml.Quote(obj.ETag));
        foreach (var algorithm in obj.Checksums.Keys)
        {
            w.Element("ChecksumAlgorithm", algorithm);
        }

        w.Element("Size", obj.Size);
        w.Element("StorageClass", "STANDARD");
        if (withOwner)
        {
            request.BucketOwner().Write(w);
        }
    }

    public static int MaxKeys(string? value)
    {
        if (value is null)
        {
            return 1000;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Provided max-keys not an integer or within integer range")
            {
                Details = [new("ArgumentName", "max-keys"), new("ArgumentValue", value)],
            };
        }

        return Math.Min(max, 1000);
    }

    /// <summary>A continuation token: the name listing resumes after, base64 (ListObjectsV2, ListBuckets).</summary>
    public static string EncodeToken(string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes(key));

    public static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect")
            {
                Details = [new("ArgumentName", "continuation-token")],
            };
        }
    }
}
