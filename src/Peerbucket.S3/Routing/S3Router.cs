using System.Text;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Routing;

/// <summary>
/// Maps (method, host, raw path, raw query) to an operation. Path-style (/bucket/key) always works;
/// virtual-hosted style (bucket.domain/key) when a domain is configured.
/// </summary>
internal sealed class S3Router(string? domain)
{
    public const int MaxKeyBytes = 1024;

    /// <summary>Subresources S3 has and Peerbucket does not: refused, never served as a plain GET or PUT. (A bucket's
    /// <c>cors</c> is served, and the bucket subresources <see cref="BucketSubresources"/> answers when unset.)</summary>
    private static readonly HashSet<string> Unsupported =
    [
        "accelerate", "analytics", "cors", "encryption", "intelligent-tiering", "inventory", "lifecycle",
        "logging", "metrics", "notification", "policyStatus", "publicAccessBlock",
        "replication", "requestPayment", "restore", "select", "website", "attributes", "renameObject",
    ];

    public S3Route Route(string method, string? host, string rawPath, string rawQuery)
    {
        S3Query query;
        try
        {
            query = S3Query.Parse(rawQuery);
        }
        catch (DecoderFallbackException)
        {
            throw new S3Exception(S3ErrorCode.InvalidURI, "The query string is not valid UTF-8.");
        }

        var (bucket, key) = Split(host, rawPath);
        foreach (var pair in query.Pairs)
        {
            if (Unsupported.Contains(pair.Key) && !Served(method, key, pair.Key))
            {
                throw new S3Exception(S3ErrorCode.NotImplemented, $"The {pair.Key} subresource is not supported by Peerbucket.");
            }
        }

        if (bucket is null)
        {
            return method == "GET" ? new S3Route(S3Operation.ListBuckets, null, null, query) : throw MethodNotAllowed();
        }

        if (!BucketNames.IsValid(bucket))
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketName, $"The specified bucket is not valid: {bucket}");
        }

        if (key is null)
        {
            return new S3Route(BucketOperation(method, query), bucket, null, query);
        }

        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new S3Exception(S3ErrorCode.KeyTooLongError);
        }

        return new S3Route(ObjectOperation(method, query), bucket, key, query);
    }

    /// <summary>True when an otherwise unsupported subresource is served in this form: a bucket's <c>cors</c> and
    /// <c>publicAccessBlock</c>, an object's <c>attributes</c> (GET), the unset bucket subresources (<see cref="BucketSubresources"/>).</summary>
    private static bool Served(string method, string? key, string subresource) => key is null
        ? subresource is "cors" or "publicAccessBlock" || BucketSubresources.Answers(method, subresource)
        : subresource == "attributes" && method == "GET";

    /// <summary>PUT with x-amz-copy-source is a copy; the router sees headers only through this flag.</summary>
    public static S3Operation RefineForCopy(S3Operation operation) => operation switch
    {
        S3Operation.PutObject => S3Operation.CopyObject,
        S3Operation.UploadPart => S3Operation.UploadPartCopy,
        _ => operation,
    };

    private (string? Bucket, string? Key) Split(string? host, string rawPath)
    {
        string path;
        try
        {
            path = S3Query.PercentDecode(rawPath);
        }
        catch (DecoderFallbackException)
        {
            throw new S3Exception(S3ErrorCode.InvalidURI, "The request path is not valid UTF-8.");
        }

        if (!path.StartsWith('/'))
        {
            throw new S3Exception(S3ErrorCode.InvalidURI);
        }

        var virtualBucket = VirtualHostBucket(host);
        if (virtualBucket is not null)
        {
            return (virtualBucket, path.Length > 1 ? path[1..] : null);
        }

        var rest = path[1..];
        if (rest.Length == 0)
        {
            return (null, null);
        }

        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            return (rest, null);
        }

        var key = rest[(slash + 1)..];
        return (rest[..slash], key.Length > 0 ? key : null);
    }

    /// <summary>The bucket a virtual-hosted-style host names (<c>bucket.DOMAIN[:port]</c>), or null.</summary>
    public string? VirtualHostBucket(string? host)
    {
        if (string.IsNullOrEmpty(domain) || string.IsNullOrEmpty(host))
        {
            return null;
        }

        var name = host;
        var colon = name.LastIndexOf(':');
        if (colon > 0 && !name.EndsWith(']'))
        {
            name = name[..colon];
        }

        name = name.ToLowerInvariant();
        var suffix = "." + domain.ToLowerInvariant();
        return name.EndsWith(suffix, StringComparison.Ordinal) && name.Length > suffix.Length ? name[..^suffix.Length] : null;
    }

    private static S3Operation BucketOperation(string method, S3Query q) => method switch
    {
        "OPTIONS" => S3Operation.PreflightCors,
        "GET" when q.Has("cors") => S3Operation.GetBucketCors,
        "PUT" when q.Has("cors") => S3Operation.PutBucketCors,
        "DELETE" when q.Has("cors") => S3Operation.DeleteBucketCors,
        "GET" when q.Has("publicAccessBlock") => S3Operation.GetPublicAccessBlock,
        "PUT" when q.Has("publicAccessBlock") => S3Operation.PutPublicAccessBlock,
        "DELETE" when q.Has("publicAccessBlock") => S3Operation.DeletePublicAccessBlock,
        "GET" when q.Has("object-lock") => S3Operation.GetObjectLockConfiguration,
        "PUT" when q.Has("object-lock") => S3Operation.PutObjectLockConfiguration,
        _ when q.Has("object-lock") => throw MethodNotAllowed(), // S3 has no DeleteObjectLockConfiguration: never a DeleteBucket
        "GET" when q.Has("ownershipControls") => S3Operation.GetBucketOwnershipControls,
        "PUT" when q.Has("ownershipControls") => S3Operation.PutBucketOwnershipControls,
        "DELETE" when q.Has("ownershipControls") => S3Operation.DeleteBucketOwnershipControls,
        "GET" when q.Has("tagging") => S3Operation.GetBucketTagging,
        "PUT" when q.Has("tagging") => S3Operation.PutBucketTagging,
        "DELETE" when q.Has("tagging") => S3Operation.DeleteBucketTagging,
        "GET" when BucketSubresources.Named(q) is not null => S3Operation.GetBucketSubresource,
        "DELETE" when BucketSubresources.Named(q) is not null => S3Operation.DeleteBucketSubresource,
        "GET" when q.Has("acl") => S3Operation.GetBucketAcl,
        "GET" when q.Has("policy") => S3Operation.GetBucketPolicy,
        "GET" when q.Has("location") => S3Operation.GetBucketLocation,
        "GET" when q.Has("versioning") => S3Operation.GetBucketVersioning,
        "GET" when q.Has("uploads") => S3Operation.ListMultipartUploads,
        "GET" when q.Has("versions") => S3Operation.ListObjectVersions,
        "GET" when q.Get("list-type") == "2" => S3Operation.ListObjectsV2,
        "GET" => S3Operation.ListObjects,
        "HEAD" => S3Operation.HeadBucket,
        "PUT" when q.Has("acl") => S3Operation.PutBucketAcl,
        "PUT" when q.Has("policy") => S3Operation.PutBucketPolicy,
        "PUT" when q.Has("versioning") => S3Operation.PutBucketVersioning,
        "PUT" => S3Operation.CreateBucket,
        "POST" when q.Has("delete") => S3Operation.DeleteObjects,
        "POST" when q.Pairs.Count == 0 => S3Operation.PostObject,
        "DELETE" when q.Has("policy") => S3Operation.DeleteBucketPolicy,
        "DELETE" => S3Operation.DeleteBucket,
        _ => throw MethodNotAllowed(),
    };

    private static S3Operation ObjectOperation(string method, S3Query q) => method switch
    {
        "OPTIONS" => S3Operation.PreflightCors,
        "GET" when q.Has("torrent") => S3Operation.GetObjectTorrent,
        "GET" when q.Has("magnet") => S3Operation.GetObjectMagnet,
        "GET" when q.Has("acl") => S3Operation.GetObjectAcl,
        "GET" when q.Has("retention") => S3Operation.GetObjectRetention,
        "PUT" when q.Has("retention") => S3Operation.PutObjectRetention,
        "GET" when q.Has("legal-hold") => S3Operation.GetObjectLegalHold,
        "PUT" when q.Has("legal-hold") => S3Operation.PutObjectLegalHold,
        "DELETE" or "POST" when q.Has("retention") || q.Has("legal-hold") => throw MethodNotAllowed(), // never a DeleteObject
        "GET" when q.Has("tagging") => S3Operation.GetObjectTagging,
        "GET" when q.Has("attributes") => S3Operation.GetObjectAttributes,
        "PUT" when q.Has("tagging") => S3Operation.PutObjectTagging,
        "DELETE" when q.Has("tagging") => S3Operation.DeleteObjectTagging,
        "GET" when q.Has("uploadId") => S3Operation.ListParts,
        "GET" => S3Operation.GetObject,
        "HEAD" => S3Operation.HeadObject,
        "PUT" when q.Has("acl") => S3Operation.PutObjectAcl,
        "PUT" when q.Has("uploadId") && q.Has("partNumber") => S3Operation.UploadPart,
        "PUT" => S3Operation.PutObject,
        "POST" when q.Has("uploads") => S3Operation.CreateMultipartUpload,
        "POST" when q.Has("uploadId") => S3Operation.CompleteMultipartUpload,
        "DELETE" when q.Has("uploadId") => S3Operation.AbortMultipartUpload,
        "DELETE" => S3Operation.DeleteObject,
        _ => throw MethodNotAllowed(),
    };

    private static S3Exception MethodNotAllowed() => new(S3ErrorCode.MethodNotAllowed);
}
