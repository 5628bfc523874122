using Peerbucket.S3.Access;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>PutObject: one pass from the body to a new blob, then an atomic switch of the key to it.</summary>
public static class PutObjectHandler
{
    public static async Task HandleAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var length = request.Payload.Length ?? throw new S3Exception(S3ErrorCode.MissingContentLength);
        if (length > request.Options.MaxPutSize)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        var md5 = ContentMd5(request);
        var plan = ChecksumPlan.FromHeaders(request.Header);
        var attributes = ObjectHeaders.FromRequest(request.Request);

        await using var writer = request.Store.Blobs.CreateWriter();
        using var facts = request.Extension.CreateFacts(length);
        var result = await ObjectIngest.CopyAsync(request.Payload.Body, writer, length, request.Options.MaxPutSize,
            plan.Algorithm, facts, request.Aborted);
        if (md5 is not null && !md5.AsSpan().SequenceEqual(result.Md5))
        {
            throw new S3Exception(S3ErrorCode.BadDigest);
        }

        var checksums = plan.Verify(result.Checksum, request.Payload.Trailers);
        var etag = Convert.ToHexStringLower(result.Md5);
        await request.Store.Blobs.PublishAsync(writer);
        var factBytes = facts?.Finish();
        var write = new ObjectWrite(request.BucketName, request.Key, etag, attributes, checksums, factBytes,
            request.Extension.TagsFor(request.Key, factBytes));
        var replaced = request.Store.Objects.Commit(write, writer.BlobId, result.Size, DateTimeOffset.UtcNow);
        request.Store.Release([replaced]);
        request.Extension.ObjectChanged(request.BucketName, request.Key);

        request.Response.Headers.ETag = S3Xml.Quote(etag);
        ChecksumPlan.WriteHeaders(request.Response, checksums);
    }

    /// <summary>The Content-MD5 header as 16 bytes; InvalidDigest when it is not base64 of 16 bytes.</summary>
    public static byte[]? ContentMd5(S3Request request)
    {
        var header = request.Header("Content-MD5");
        if (header is null)
        {
            return null;
        }

        var bytes = new byte[16];
        return Convert.TryFromBase64String(header.Trim(), bytes, out var written) && written == 16
            ? bytes
            : throw new S3Exception(S3ErrorCode.InvalidDigest);
    }
}
