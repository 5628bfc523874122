using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Routing;
using Peerbucket.S3.Writes;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Http;

/// <summary>One authenticated, routed request and the services its handler needs.</summary>
internal sealed class S3Request
{
    private BucketRecord? _bucket;

    public required HttpContext Http { get; init; }
    public required S3Route Route { get; init; }
    public required Principal Principal { get; init; }
    public required RequestPayload Payload { get; init; }
    public required ObjectStore Store { get; init; }
    public required S3Options Options { get; init; }
    public required ObjectWriter Writer { get; init; }
    public required IContentDocuments Documents { get; init; }
    public required EgressMeter Egress { get; init; }
    public required TimeProvider Clock { get; init; }

    public HttpRequest Request => Http.Request;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public string BucketName => Route.Bucket ?? throw new InvalidOperationException("no bucket in route");

    public string Key => Route.Key ?? throw new InvalidOperationException("no key in route");

    public string? Header(string name)
    {
        var value = Request.Headers[name];
        return value.Count == 0 ? null : value.ToString();
    }

    /// <summary>The bucket, or NoSuchBucket.</summary>
    public BucketRecord Bucket()
    {
        _bucket ??= Store.Buckets.Get(BucketName)
            ?? throw new S3Exception(S3ErrorCode.NoSuchBucket) { Details = [new("BucketName", BucketName)] };
        return _bucket;
    }

    /// <summary>The bucket's owner, as documents show it.</summary>
    public Handlers.Owner BucketOwner() => OwnerOf(Bucket().Owner);

    /// <summary>Who is asking, as documents show it (ListBuckets' owner, an upload's initiator).</summary>
    public Handlers.Owner Requester() => OwnerOf(Principal.UserId);

    /// <summary>True when <paramref name="canonicalId"/> names a user of the store (the administrator included): what an
    /// ACL grant may name.</summary>
    public bool UserExists(string canonicalId) =>
        canonicalId == Handlers.Owner.Administrator(Options.AccessKey).Id || Store.Users.FindById(canonicalId) is not null;

    public Handlers.Owner OwnerOf(string? userId) => userId is null
        ? Handlers.Owner.Administrator(Options.AccessKey)
        : Store.Users.FindById(userId) is { } user ? new Handlers.Owner(user.CanonicalId, user.DisplayName) : new Handlers.Owner(userId, userId);

    /// <summary>Asks the one authorization function; AccessDenied when it says no.</summary>
    public void Authorize(S3Action action, ObjectRecord? obj = null)
    {
        if (!Authorizer.IsAllowed(Principal, action, Bucket(), obj, Route.Key, IamAction()))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }
    }

    /// <summary>The IAM action of this request where it is more precise than its <see cref="S3Action"/> (what a bucket
    /// policy's Action names); null to let the S3Action's own stand.</summary>
    private string? IamAction() => Route.Operation switch
    {
        S3Operation.PutObject or S3Operation.CopyObject or S3Operation.CreateMultipartUpload or S3Operation.UploadPart
            or S3Operation.UploadPartCopy or S3Operation.CompleteMultipartUpload or S3Operation.PostObject => "s3:PutObject",
        S3Operation.AbortMultipartUpload => "s3:AbortMultipartUpload",
        S3Operation.DeleteObject => Route.Query.Has("versionId") ? "s3:DeleteObjectVersion" : "s3:DeleteObject",
        S3Operation.DeleteObjects => "s3:DeleteObject",
        S3Operation.GetObjectTagging => Route.Query.Has("versionId") ? "s3:GetObjectVersionTagging" : "s3:GetObjectTagging",
        S3Operation.PutObjectTagging => Route.Query.Has("versionId") ? "s3:PutObjectVersionTagging" : "s3:PutObjectTagging",
        S3Operation.DeleteObjectTagging => Route.Query.Has("versionId") ? "s3:DeleteObjectVersionTagging" : "s3:DeleteObjectTagging",
        S3Operation.ListMultipartUploads => "s3:ListBucketMultipartUploads",
        S3Operation.ListParts => "s3:ListMultipartUploadParts",
        S3Operation.GetObjectRetention => "s3:GetObjectRetention",
        S3Operation.PutObjectRetention => "s3:PutObjectRetention",
        S3Operation.GetObjectLegalHold => "s3:GetObjectLegalHold",
        S3Operation.PutObjectLegalHold => "s3:PutObjectLegalHold",
        _ => null,
    };

    /// <summary>
    /// The object the request names, authorized for reading: the key's current one, or with <c>?versionId=</c> that
    /// version (s3:GetObjectVersion). A missing key or version is NoSuchKey / NoSuchVersion only for callers allowed to
    /// list the bucket; others get AccessDenied, as S3 does, so probing reveals nothing. A delete marker answers as S3's
    /// does: 404 NoSuchKey when it hides the key, 405 MethodNotAllowed when named by id, both with
    /// <c>x-amz-delete-marker: true</c>. Sets <c>x-amz-version-id</c> when the object has a version.
    /// </summary>
    public ObjectRecord ReadableObject()
    {
        var versionId = Handlers.VersionIds.Of(Route.Query);
        var obj = versionId is null ? Store.Objects.Get(BucketName, Key) : ReadableVersion(versionId);
        if (obj is null)
        {
            RefuseUnlisted(S3Action.ListBucket);
            if (Bucket().Versioning != VersioningState.Unversioned && Store.Versions.Latest(BucketName, Key) is { IsDeleteMarker: true } marker)
            {
                WriteDeleteMarkerHeaders(marker);
            }
            else
            {
                Response.Headers["x-amz-delete-marker"] = "false"; // as RGW says it (S3 sends nothing): nothing hides the key
            }

            throw new S3Exception(S3ErrorCode.NoSuchKey) { Details = [new("Key", Key)] };
        }

        Authorize(versionId is null ? S3Action.GetObject : S3Action.GetObjectVersion, obj);
        if (obj.VersionId is not null || Bucket().Versioning != VersioningState.Unversioned)
        {
            Response.Headers["x-amz-version-id"] = obj.VersionId ?? "null";
        }

        return obj;
    }

    /// <summary>The object an owner's subresource request names (current, or <c>?versionId=</c>); NoSuchKey or
    /// NoSuchVersion when there is none, MethodNotAllowed for a delete marker. Not authorized here.</summary>
    public ObjectRecord NamedObject()
    {
        var versionId = Handlers.VersionIds.Of(Route.Query);
        if (versionId is null)
        {
            return Store.Objects.Get(BucketName, Key) ?? throw new S3Exception(S3ErrorCode.NoSuchKey) { Details = [new("Key", Key)] };
        }

        var version = Store.Versions.Get(BucketName, Key, versionId)
            ?? throw new S3Exception(S3ErrorCode.NoSuchVersion) { Details = [new("Key", Key), new("VersionId", versionId)] };
        return version.Object ?? throw new S3Exception(S3ErrorCode.MethodNotAllowed);
    }

    /// <summary>The request's <c>versionId</c>, validated; null when it names none.</summary>
    public string? VersionId => Handlers.VersionIds.Of(Route.Query);

    private ObjectRecord ReadableVersion(string versionId)
    {
        var version = Store.Versions.Get(BucketName, Key, versionId);
        if (version is null)
        {
            RefuseUnlisted(S3Action.ListBucketVersions);
            throw new S3Exception(S3ErrorCode.NoSuchVersion) { Details = [new("Key", Key), new("VersionId", versionId)] };
        }

        if (version.Object is null)
        {
            RefuseUnlisted(S3Action.ListBucketVersions);
            WriteDeleteMarkerHeaders(version);
            Response.Headers.LastModified = version.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        return version.Object;
    }

    private void RefuseUnlisted(S3Action listing)
    {
        if (!Authorizer.IsAllowed(Principal, listing, Bucket(), null))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }
    }

    private void WriteDeleteMarkerHeaders(ObjectVersion marker)
    {
        Response.Headers["x-amz-delete-marker"] = "true";
        Response.Headers["x-amz-version-id"] = marker.VersionId ?? "null";
    }

    public async Task WriteXmlAsync(byte[] document, int status = StatusCodes.Status200OK)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/xml";
        Response.ContentLength = document.Length;
        await Response.Body.WriteAsync(document, Aborted);
    }
}
