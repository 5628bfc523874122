using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Tagging;
using Peerbucket.S3.Writes;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>CopyObject: the source's bytes into a new blob, with its metadata (COPY) or the request's (REPLACE).</summary>
internal static class CopyObjectHandler
{
    public static async Task HandleAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var source = CopySource.Parse(request.Header("x-amz-copy-source")!);
        var (sourceObject, sourceBucket, file) = OpenSource(request, source);
        using (file)
        {
            Preconditions.Check(request.Header, "x-amz-copy-source-if-", sourceObject.ETag, sourceObject.LastModified, notModifiedIsError: true);
            var directive = request.Header("x-amz-metadata-directive") ?? "COPY";
            if (directive is not ("COPY" or "REPLACE"))
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown metadata directive.");
            }

            var sameKey = source.Bucket == request.BucketName && source.Key == request.Key;
            PublicAccessRules.RefusePublicAclHeaders(request);
            OwnershipRules.RefuseAclsWhenDisabled(request);
            var newAcl = AclDocuments.FromHeaders(request.Request.Headers, request.UserExists);
            if (sameKey && directive == "COPY" && newAcl is null)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest,
                    "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
            }

            var tagging = request.Header("x-amz-tagging-directive") ?? "COPY";
            if (tagging is not ("COPY" or "REPLACE"))
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown tagging directive.");
            }

            var attributes = (directive == "REPLACE"
                ? ObjectHeaders.FromRequest(request)
                : sourceObject.Attributes with { Acl = newAcl?.Canned ?? CannedAcl.Private, Grants = newAcl?.Grants ?? [] }) with
            {
                Tags = tagging == "REPLACE" ? TagSet.FromHeader(request.Header("x-amz-tagging")) : sourceObject.Attributes.Tags,
                Lock = ObjectLockHeaders.ForWrite(request), // a copy is a new version: the source's lock stays with it
            };

            await using (var stream = new FileStream(file, FileAccess.Read, 0, isAsync: true))
            {
                // The bytes are the source's, so its facts and checksums stay true (the facts reindexed under the new
                // key); only the MD5 is recomputed, because a multipart source's ETag is not the MD5 of its bytes.
                await using var staged = await request.Writer.StageAsync(stream,
                    new StagePlan(sourceObject.Size, long.MaxValue, ContentKey: request.Key, KnownFacts: sourceObject.ContentFacts), request.Aborted);
                var etag = Convert.ToHexStringLower(staged.Md5);
                var committed = await request.Writer.CommitObjectAsync(staged, request.BucketName, request.Key, etag, attributes, sourceObject.Checksums);
                committed.WriteVersionHeader(request.Response);
                WriteSourceVersionHeader(request, source, sourceObject, sourceBucket);
                await request.WriteXmlAsync(S3Xml.Document("CopyObjectResult", w =>
                {
                    w.Element("LastModified", S3Xml.Timestamp(committed.LastModified));
                    w.Element("ETag", S3Xml.Quote(etag));
                }));
            }
        }
    }

    /// <summary><c>x-amz-copy-source-version-id</c>: the version copied, when the source bucket keeps versions or one was named.</summary>
    public static void WriteSourceVersionHeader(S3Request request, CopySource source, ObjectRecord sourceObject, BucketRecord sourceBucket)
    {
        if (source.VersionId is not null || sourceObject.VersionId is not null || sourceBucket.Versioning != VersioningState.Unversioned)
        {
            request.Response.Headers["x-amz-copy-source-version-id"] = sourceObject.VersionId ?? "null";
        }
    }

    /// <summary>The source object (its current one, or the version the header names), readable by the caller, opened
    /// (so a concurrent overwrite cannot pull it away).</summary>
    public static (ObjectRecord Object, BucketRecord Bucket, Microsoft.Win32.SafeHandles.SafeFileHandle File) OpenSource(S3Request request, CopySource source)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var bucket = request.Store.Buckets.Get(source.Bucket)
                ?? throw new S3Exception(S3ErrorCode.NoSuchBucket) { Details = [new("BucketName", source.Bucket)] };
            var obj = source.VersionId is null ? request.Store.Objects.Get(source.Bucket, source.Key) : SourceVersion(request, source);
            if (obj is null)
            {
                throw new S3Exception(S3ErrorCode.NoSuchKey) { Details = [new("Key", source.Key)] };
            }

            if (!Authorizer.IsAllowed(request.Principal, source.VersionId is null ? S3Action.GetObject : S3Action.GetObjectVersion, bucket, obj))
            {
                throw new S3Exception(S3ErrorCode.AccessDenied);
            }

            var file = request.Store.Blobs.TryOpenRead(obj.BlobId);
            if (file is not null)
            {
                return (obj, bucket, file);
            }
        }

        throw new S3Exception(S3ErrorCode.InternalError, "The copy source changed while it was being read; retry.");
    }

    private static ObjectRecord SourceVersion(S3Request request, CopySource source)
    {
        var version = request.Store.Versions.Get(source.Bucket, source.Key, source.VersionId!)
            ?? throw new S3Exception(S3ErrorCode.NoSuchVersion) { Details = [new("Key", source.Key), new("VersionId", source.VersionId!)] };
        return version.Object ?? throw new S3Exception(S3ErrorCode.InvalidRequest,
            "The source of a copy request may not specifically refer to a delete marker by version id.");
    }
}
