using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Peerbucket.Protocols.Http;
using Peerbucket.S3.Checksums;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Writes;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>CreateMultipartUpload, UploadPart, UploadPartCopy, AbortMultipartUpload, ListParts, ListMultipartUploads.</summary>
internal static class MultipartHandlers
{
    public const int MaxPartNumber = 10_000;
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;

    public static async Task CreateAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        string? algorithm = null;
        var declared = request.Header("x-amz-checksum-algorithm");
        if (declared is not null)
        {
            if (!S3ChecksumAlgorithms.TryParse(declared, out var parsed))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Checksum algorithm {declared} is not supported.");
            }

            algorithm = S3ChecksumAlgorithms.NameOf(parsed);
            request.Response.Headers["x-amz-checksum-algorithm"] = algorithm;
        }

        PublicAccessRules.RefusePublicAclHeaders(request);
        OwnershipRules.RefuseAclsWhenDisabled(request);
        var upload = new MultipartUpload(NewUploadId(), request.BucketName, request.Key, request.Clock.GetUtcNow(),
            ObjectHeaders.FromRequest(request) with { Lock = ObjectLockHeaders.ForWrite(request) }, algorithm);
        await request.Store.Multipart.CreateAsync(upload);
        await request.WriteXmlAsync(S3Xml.Document("InitiateMultipartUploadResult", w =>
        {
            w.Element("Bucket", upload.Bucket);
            w.Element("Key", upload.Key);
            w.Element("UploadId", upload.UploadId);
        }));
    }

    public static async Task UploadPartAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var (upload, partNumber) = Target(request);
        var length = request.Payload.Length ?? throw new S3Exception(S3ErrorCode.MissingContentLength);
        if (length > MaxPartSize)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        var md5 = BodyDigests.ContentMd5(request);
        var plan = ChecksumPlan.FromHeaders(request.Header);
        await using var staged = await request.Writer.StageAsync(request.Payload.Body,
            new StagePlan(length, MaxPartSize, plan.Algorithm), request.Aborted);
        if (md5 is not null && !md5.AsSpan().SequenceEqual(staged.Md5))
        {
            throw new S3Exception(S3ErrorCode.BadDigest);
        }

        var checksums = plan.Verify(staged.Checksum, request.Payload.Trailers);
        var etag = Convert.ToHexStringLower(staged.Md5);
        await request.Writer.CommitPartAsync(staged, upload.UploadId, partNumber, etag, checksums);
        request.Response.Headers.ETag = S3Xml.Quote(etag);
        ChecksumPlan.WriteHeaders(request.Response, checksums);
    }

    public static async Task UploadPartCopyAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var (upload, partNumber) = Target(request);
        var source = CopySource.Parse(request.Header("x-amz-copy-source")!);
        var (sourceObject, sourceBucket, file) = CopyObjectHandler.OpenSource(request, source);
        using (file)
        {
            Preconditions.Check(request.Header, "x-amz-copy-source-if-", sourceObject.ETag, sourceObject.LastModified, notModifiedIsError: true);
            var range = new ByteRange(0, sourceObject.Size);
            var rangeHeader = request.Header("x-amz-copy-source-range");
            if (rangeHeader is not null)
            {
                range = CopySourceRange(rangeHeader, sourceObject.Size);
            }

            if (range.Length > MaxPartSize)
            {
                throw new S3Exception(S3ErrorCode.EntityTooLarge);
            }

            await using var stream = new FileStream(file, FileAccess.Read, 0, isAsync: true);
            stream.Position = range.Start;
            await using var staged = await request.Writer.StageAsync(new BoundedStream(stream, range.Length),
                new StagePlan(range.Length, MaxPartSize), request.Aborted);
            var etag = Convert.ToHexStringLower(staged.Md5);
            var now = await request.Writer.CommitPartAsync(staged, upload.UploadId, partNumber, etag, new Dictionary<string, string>());
            CopyObjectHandler.WriteSourceVersionHeader(request, source, sourceObject, sourceBucket);
            await request.WriteXmlAsync(S3Xml.Document("CopyPartResult", w =>
            {
                w.Element("LastModified", S3Xml.Timestamp(now));
                w.Element("ETag", S3Xml.Quote(etag));
            }));
        }
    }

    /// <summary>
    /// <c>x-amz-copy-source-range: bytes=first-last</c>, both offsets given: unlike a GET's Range, a copy range is never
    /// cut to fit, so one that reaches past the source is refused (<c>InvalidRange</c>) rather than copying less.
    /// </summary>
    private static ByteRange CopySourceRange(string header, long size)
    {
        var dash = header.IndexOf('-', StringComparison.Ordinal);
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || dash < 0
            || !long.TryParse(header.AsSpan(6, dash - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !long.TryParse(header.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var last) || last < first)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument,
                "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
        }

        return last < size
            ? new ByteRange(first, last - first + 1)
            : throw new S3Exception(S3ErrorCode.InvalidRange, $"The range bytes={first}-{last} reaches past the end of the {size}-byte source object");
    }

    public static async Task AbortAsync(S3Request request)
    {
        request.Authorize(S3Action.WriteObject);
        var upload = RequireUpload(request);
        request.Store.Release(await request.Store.Multipart.AbortAsync(upload.UploadId));
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public static Task ListPartsAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        var upload = RequireUpload(request);
        var q = request.Route.Query;
        var marker = ParseInt(q.Get("part-number-marker"), "part-number-marker", 0);
        var maxParts = Math.Min(ParseInt(q.Get("max-parts"), "max-parts", 1000), 1000);
        var parts = request.Store.Multipart.ListParts(upload.UploadId, marker, maxParts + 1);
        var truncated = parts.Count > maxParts;
        var shown = parts.Take(maxParts).ToList();
        return request.WriteXmlAsync(S3Xml.Document("ListPartsResult", w =>
        {
            w.Element("Bucket", upload.Bucket);
            w.Element("Key", upload.Key);
            w.Element("UploadId", upload.UploadId);
            request.Requester().Write(w, "Initiator");
            request.BucketOwner().Write(w);
            w.Element("StorageClass", "STANDARD");
            w.Element("PartNumberMarker", marker);
            w.Element("NextPartNumberMarker", shown.Count > 0 ? shown[^1].PartNumber : 0);
            w.Element("MaxParts", maxParts);
            w.Element("IsTruncated", truncated);
            if (upload.ChecksumAlgorithm is not null)
            {
                w.Element("ChecksumAlgorithm", upload.ChecksumAlgorithm);
            }

            foreach (var part in shown)
            {
                w.WriteStartElement("Part", S3Xml.Namespace);
                w.Element("PartNumber", part.PartNumber);
                w.Element("LastModified", S3Xml.Timestamp(part.LastModified));
                w.Element("ETag", S3Xml.Quote(part.ETag));
                w.Element("Size", part.Size);
                foreach (var (name, value) in part.Checksums)
                {
                    w.Element("Checksum" + name, value);
                }

                w.WriteEndElement();
            }
        }));
    }

    public static Task ListUploadsAsync(S3Request request)
    {
        request.Authorize(S3Action.Administer);
        request.Bucket();
        var q = request.Route.Query;
        var prefix = q.Get("prefix") ?? "";
        var keyMarker = q.Get("key-marker");
        var maxUploads = Math.Min(ParseInt(q.Get("max-uploads"), "max-uploads", 1000), 1000);
        var uploads = request.Store.Multipart.ListUploads(request.BucketName, prefix, keyMarker, maxUploads + 1);
        var truncated = uploads.Count > maxUploads;
        var shown = uploads.Take(maxUploads).ToList();
        return request.WriteXmlAsync(S3Xml.Document("ListMultipartUploadsResult", w =>
        {
            w.Element("Bucket", request.BucketName);
            w.Element("KeyMarker", keyMarker ?? "");
            w.Element("UploadIdMarker", q.Get("upload-id-marker") ?? "");
            if (truncated)
            {
                w.Element("NextKeyMarker", shown[^1].Key);
                w.Element("NextUploadIdMarker", shown[^1].UploadId);
            }

            w.Element("Prefix", prefix);
            w.Element("MaxUploads", maxUploads);
            w.Element("IsTruncated", truncated);
            foreach (var upload in shown)
            {
                w.WriteStartElement("Upload", S3Xml.Namespace);
                w.Element("Key", upload.Key);
                w.Element("UploadId", upload.UploadId);
                request.Requester().Write(w, "Initiator");
                request.BucketOwner().Write(w);
                w.Element("StorageClass", "STANDARD");
                w.Element("Initiated", S3Xml.Timestamp(upload.Initiated));
                w.WriteEndElement();
            }
        }));
    }

    public static MultipartUpload RequireUpload(S3Request request) =>
        FindUpload(request) ?? throw NoSuchUpload(request);

    /// <summary>The upload <c>?uploadId</c> names for this bucket and key, or null (NoSuchBucket without the bucket).</summary>
    public static MultipartUpload? FindUpload(S3Request request)
    {
        request.Bucket();
        return request.Store.Multipart.Get(request.BucketName, request.Key, UploadId(request));
    }

    public static S3Exception NoSuchUpload(S3Request request) => new(S3ErrorCode.NoSuchUpload) { Details = [new("UploadId", UploadId(request))] };

    public static string UploadId(S3Request request) => request.Route.Query.Get("uploadId") ?? "";

    private static (MultipartUpload Upload, int PartNumber) Target(S3Request request)
    {
        var raw = request.Route.Query.Get("partNumber");
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > MaxPartNumber)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive")
            {
                Details = [new("ArgumentName", "partNumber"), new("ArgumentValue", raw ?? "")],
            };
        }

        return (RequireUpload(request), partNumber);
    }

    private static int ParseInt(string? value, string name, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new S3Exception(S3ErrorCode.InvalidArgument) { Details = [new("ArgumentName", name), new("ArgumentValue", value)] };
    }

    private static string NewUploadId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(33)).Replace('+', '-').Replace('/', '_');
}
