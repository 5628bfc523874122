using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation.</summary>
internal static class BucketHandlers
{
    public static Task ListBucketsAsync(S3Request request)
    {
        if (request.Principal.IsAnonymous)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        var q = request.Route.Query;
        var prefix = q.Get("prefix") ?? "";
        var after = q.Get("continuation-token") is { } token ? ListObjectsHandler.DecodeToken(token) : null;
        var max = MaxBuckets(q.Get("max-buckets"));
        var buckets = request.Store.Buckets.List() // a user lists its own buckets, by name
            .Where(b => request.Principal.Owns(b) && b.Name.StartsWith(prefix, StringComparison.Ordinal)
                && (after is null || string.CompareOrdinal(b.Name, after) > 0))
            .Take(max + 1).ToList();
        var truncated = buckets.Count > max;
        if (truncated)
        {
            buckets.RemoveAt(max);
        }

        return request.WriteXmlAsync(S3Xml.Document("ListAllMyBucketsResult", w =>
        {
            request.Requester().Write(w);
            w.WriteStartElement("Buckets", S3Xml.Namespace);
            foreach (var bucket in buckets)
            {
                w.WriteStartElement("Bucket", S3Xml.Namespace);
                w.Element("Name", bucket.Name);
                w.Element("CreationDate", S3Xml.Timestamp(bucket.Created));
                w.Element("BucketRegion", bucket.Region);
                w.WriteEndElement();
            }

            w.WriteEndElement();
            if (truncated)
            {
                w.Element("ContinuationToken", ListObjectsHandler.EncodeToken(buckets[^1].Name));
            }

            if (prefix.Length > 0)
            {
                w.Element("Prefix", prefix);
            }
        }));
    }

    /// <summary>ListBuckets' max-buckets: 1 to 10,000 (the default: all, as S3 without the parameter).</summary>
    private static int MaxBuckets(string? value)
    {
        if (value is null)
        {
            return int.MaxValue - 1;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) && max is >= 1 and <= 10_000
            ? max
            : throw new S3Exception(S3ErrorCode.InvalidArgument, "max-buckets must be an integer from 1 to 10000")
            {
                Details = [new("ArgumentName", "max-buckets"), new("ArgumentValue", value)],
            };
    }

    public static async Task CreateAsync(S3Request request)
    {
        if (request.Principal.IsAnonymous)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        var region = request.Options.Region;
        if (request.Request.ContentLength is > 0 || request.Payload.Length is > 0)
        {
            var body = await RequestXml.ReadAsync(request.Payload.Body, request.Aborted);
            if (body.Name.LocalName != "CreateBucketConfiguration")
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            var constraint = body.ChildValue("LocationConstraint");
            if (!string.IsNullOrEmpty(constraint) && constraint != request.Options.Region)
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, $"The {constraint} location constraint is incompatible with the region of this endpoint ({request.Options.Region}).")
                {
                    Details = [new("ArgumentName", "LocationConstraint"), new("ArgumentValue", constraint)],
                };
            }
        }

        var acl = AclDocuments.FromHeaders(request.Request.Headers, request.UserExists) ?? AclDocuments.Acl.Private;
        var ownershipHeader = request.Header("x-amz-object-ownership");
        var ownership = ownershipHeader is null ? (ObjectOwnership?)null
            : OwnershipControlsHandlers.Parse(ownershipHeader) ?? throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid x-amz-object-ownership header")
            {
                Details = [new("ArgumentName", "x-amz-object-ownership"), new("ArgumentValue", ownershipHeader)],
            };
        if (ownership == ObjectOwnership.BucketOwnerEnforced && (acl.Canned != CannedAcl.Private || acl.Grants.Count > 0))
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketAclWithObjectOwnership);
        }

        var created = await request.Store.Buckets.CreateAsync(request.BucketName, region, acl.Canned, request.Clock.GetUtcNow(),
            request.Principal.UserId, acl.Grants);
        if (!created && request.Store.Buckets.Get(request.BucketName) is { } existing && !request.Principal.Owns(existing))
        {
            throw new S3Exception(S3ErrorCode.BucketAlreadyExists) { Details = [new("BucketName", request.BucketName)] };
        }

        if (created && ownership is { } set)
        {
            await OwnershipControlsHandlers.SetAsync(request, set);
        }
        if (!created && region != "us-east-1")
        {
            throw new S3Exception(S3ErrorCode.BucketAlreadyOwnedByYou) { Details = [new("BucketName", request.BucketName)] };
        }

        if (created && string.Equals(request.Header("x-amz-bucket-object-lock-enabled"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // Object Lock needs versions to lock: the bucket is versioned from the start, and stays so.
            await request.Store.Buckets.SetVersioningAsync(request.BucketName, VersioningState.Enabled);
            await Locking.ObjectLockConfiguration.EnabledOnly.SaveAsync(request.Store.Buckets, request.BucketName);
        }

        // us-east-1 answers 200 to re-creating a bucket you own (and keeps it as it was).
        request.Response.Headers.Location = "/" + request.BucketName;
    }

    public static Task HeadAsync(S3Request request)
    {
        var bucket = request.Bucket();
        if (!Authorizer.IsAllowed(request.Principal, S3Action.ListBucket, bucket, null))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        request.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        return Task.CompletedTask;
    }

    public static async Task DeleteAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        request.Store.Release(await request.Store.Buckets.DeleteAsync(request.BucketName));
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static Task LocationAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var region = request.Bucket().Region;
        return request.WriteXmlAsync(S3Xml.Document("LocationConstraint", w =>
        {
            // us-east-1 is the empty constraint, as in S3.
            if (region != "us-east-1")
            {
                w.WriteString(region);
            }
        }));
    }
}
