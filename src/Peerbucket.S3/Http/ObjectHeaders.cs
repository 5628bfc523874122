using System.Globalization;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
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

    public const string AllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";

    public static ObjectAttributes FromRequest(HttpRequest request) => FromHeaders(request.Headers);

    /// <summary>What a write stores, from its headers (or a POST form's fields, given as headers).</summary>
    public static ObjectAttributes FromHeaders(IHeaderDictionary requestHeaders)
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

        return new ObjectAttributes
        {
            Headers = headers,
            UserMetadata = meta,
            Acl = AclFromHeaders(requestHeaders) ?? CannedAcl.Private,
            Tags = Tagging.TagSet.FromHeader(requestHeaders["x-amz-tagging"].ToString()),
        };
    }

    /// <summary>The ACL a request sets through x-amz-acl or x-amz-grant-read; null when it sets none.</summary>
    public static CannedAcl? AclFromHeaders(HttpRequest request) => AclFromHeaders(request.Headers);

    public static CannedAcl? AclFromHeaders(IHeaderDictionary headers)
    {
        var canned = headers["x-amz-acl"].ToString();
        var grantRead = headers["x-amz-grant-read"].ToString();
        foreach (var other in new[] { "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control" })
        {
            if (headers.ContainsKey(other))
            {
                throw new S3Exception(S3ErrorCode.NotImplemented, $"{other} is not supported; use a canned ACL.");
            }
        }

        if (canned.Length > 0 && grantRead.Length > 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (grantRead.Length > 0)
        {
            return grantRead.Contains(AllUsersUri, StringComparison.Ordinal) ? CannedAcl.PublicRead
                : throw new S3Exception(S3ErrorCode.NotImplemented, "Only the AllUsers READ grant is supported.");
        }

        return canned.Length == 0 ? null : ParseCanned(canned);
    }

    public static CannedAcl ParseCanned(string value) => value switch
    {
        "private" or "authenticated-read" or "bucket-owner-read" or "bucket-owner-full-control" or "aws-exec-read" => CannedAcl.Private,
        "public-read" => CannedAcl.PublicRead,
        "public-read-write" => throw new S3Exception(S3ErrorCode.NotImplemented, "public-read-write is not supported: anonymous writes are never allowed."),
        _ => throw new S3Exception(S3ErrorCode.InvalidArgument) { Details = [new("ArgumentName", "x-amz-acl"), new("ArgumentValue", value)] },
    };

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
