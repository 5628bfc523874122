using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Writes;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>PutObject: one pass from the body to a new blob, then an atomic switch of the key to it.</summary>
internal static class PutObjectHandler
{
    public static async Task HandleAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var length = request.Payload.Length ?? throw new S3Exception(S3ErrorCode.MissingContentLength);
        if (length > request.Options.MaxPutSize)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        var md5 = BodyDigests.ContentMd5(request);
        var plan = ChecksumPlan.FromHeaders(request.Header);
        PublicAccessRules.RefusePublicAclHeaders(request);
        OwnershipRules.RefuseAclsWhenDisabled(request);
        var attributes = ObjectHeaders.FromRequest(request) with { Lock = ObjectLockHeaders.ForWrite(request) };

        await using var staged = await request.Writer.StageAsync(request.Payload.Body,
            new StagePlan(length, request.Options.MaxPutSize, plan.Algorithm, ContentKey: request.Key), request.Aborted);
        if (md5 is not null && !md5.AsSpan().SequenceEqual(staged.Md5))
        {
            throw new S3Exception(S3ErrorCode.BadDigest);
        }

        var checksums = plan.Verify(staged.Checksum, request.Payload.Trailers);
        var etag = Convert.ToHexStringLower(staged.Md5);
        var committed = await request.Writer.CommitObjectAsync(staged, request.BucketName, request.Key, etag, attributes, checksums, Precondition(request));

        request.Response.Headers.ETag = S3Xml.Quote(etag);
        committed.WriteVersionHeader(request.Response);
        ChecksumPlan.WriteHeaders(request.Response, checksums);
    }

    /// <summary>S3's conditional writes: <c>If-None-Match</c> (<c>*</c>: only when the key holds nothing; an ETag: unless
    /// the key's object has it) and <c>If-Match</c> (an ETag, or <c>*</c>: only over an existing object); checked in the
    /// commit, so of two racing writers one wins.</summary>
    public static WritePrecondition? Precondition(S3Request request)
    {
        var ifNoneMatch = request.Header("If-None-Match")?.Trim().Trim('"');
        var ifMatch = request.Header("If-Match")?.Trim().Trim('"');
        return ifNoneMatch is null && ifMatch is null ? null : new WritePrecondition(ifMatch, ifNoneMatch);
    }
}
