using System.Globalization;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>Object metadata between HTTP headers and storage: what a write stores, what a read returns.</summary>
internal static class ObjectHeaders
{
    /// <summary>System headers S3 stores with an object and returns on GET/HEAD.</summary>
    public static readonly string[] Stored =
    [
        "Content-Type", "Content-Encoding", "Content-Disposition", "Content-Language", "Cache-Control", "Expires",
        "x-amz-website-redirect-location",
    ];

    private static readonly (string Query, string Header)[] Overrides =
    [
        ("response-content-type", "Content-Type"),
        ("response-content-language", "Content-Language"),
        ("response-expires", "Expires"),
        ("response-cache-control", "Cache-Control"),
        ("response-content-disposition", "Content-Disposition"),
        ("response-content-encoding", "Content-Encoding"),
    ];

    public static ObjectAttributes FromRequest(S3Request request) => FromHeaders(request.Request.Headers, request.UserExists);

    /// <summary>What a write stores, from its headers (or a POST form's fields, given as headers); ACL grants may name
    /// the users <paramref name="userExists"/> knows.</summary>
    public static ObjectAttributes FromHeaders(IHeaderDictionary requestHeaders, Func<string, bool> userExists)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Stored)
        {
            var value = requestHeaders[name].ToString();
            if (name == "Content-Encoding" && value.Contains("aws-chunked", StringComparison.OrdinalIgnoreCase))
            {
                // aws-chunked is the request's framing, not the object's encoding; the rest is kept as S3 keeps it.
                value = string.Join(", ", value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Where(v => !v.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));
            }

            if (value.Length > 0)
            {
                headers[name] = value;
            }
        }

        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in requestHeaders)
        {
            if (header.Key.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                meta[header.Key[11..].ToLowerInvariant()] = header.Value.ToString();
            }
        }

        var acl = AclDocuments.FromHeaders(requestHeaders, userExists) ?? AclDocuments.Acl.Private;
        return new ObjectAttributes
        {
            Headers = headers,
            UserMetadata = meta,
            Acl = acl.Canned,
            Grants = acl.Grants,
            Tags = Tagging.TagSet.FromHeader(requestHeaders["x-amz-tagging"].ToString()),
        };
    }

    /// <summary>Writes the headers of GET/HEAD object (before the body).</summary>
    public static void WriteResponse(HttpResponse response, ObjectRecord obj, S3Query query, bool includeChecksums)
    {
        var headers = response.Headers;
        headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
        headers.ETag = S3Xml.Quote(obj.ETag);
        headers.AcceptRanges = "bytes";
        headers.ContentType = "binary/octet-stream";
        foreach (var (name, value) in obj.Attributes.Headers)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in obj.Attributes.UserMetadata)
        {
            headers["x-amz-meta-" + name] = value;
        }

        foreach (var (queryName, header) in Overrides)
        {
            var value = query.Get(queryName);
            if (value is not null)
            {
                headers[header] = value;
            }
        }

        if (obj.Attributes.Tags.Count > 0)
        {
            headers["x-amz-tagging-count"] = obj.Attributes.Tags.Count.ToString(CultureInfo.InvariantCulture);
        }

        if (includeChecksums)
        {
            ChecksumPlan.WriteHeaders(response, obj.Checksums);
        }
    }
}
