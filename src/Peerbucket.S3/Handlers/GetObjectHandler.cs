using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Peerbucket.Protocols.Http;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Locking;
using Peerbucket.S3.Xml;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Model;

namespace Peerbucket.S3.Handlers;

/// <summary>GetObject and HeadObject: conditionals, a single range, stored headers, then the bytes.</summary>
internal static class GetObjectHandler
{
    public static async Task HandleAsync(S3Request request, bool head)
    {
        // The blob of a record can be deleted by a concurrent overwrite between lookup and open; look again then.
        for (var attempt = 0; ; attempt++)
        {
            var obj = request.ReadableObject();
            using var file = head ? null : request.Store.Blobs.TryOpenRead(obj.BlobId);
            if (!head && file is null)
            {
                if (attempt < 5)
                {
                    continue;
                }

                throw new S3Exception(S3ErrorCode.InternalError, "The object changed while it was being read; retry.");
            }

            var range = Prepare(request, obj, out var status);
            request.Response.StatusCode = status;
            if (head || range.Length == 0)
            {
                return;
            }

            var ranged = request.Request.Headers.Range.Count > 0;
            await BlobSender.SendAsync(request.Response.BodyWriter, file!, range.Start, range.Length,
                bytes => request.Egress.Add(obj.Bucket, obj.Key, ranged ? EgressPath.RangeGet : EgressPath.PlainGet, bytes), request.Aborted,
                request.Options.ResponseDrainTimeout, TcpProgress.Of(request.Http.Features.Get<IConnectionSocketFeature>()?.Socket));
            return;
        }
    }

    /// <summary>The bytes of the part <c>?partNumber=N</c> names (null: none named, or the whole of an object written in
    /// one piece, whose only part is 1); a multipart object's answer names its part count (<c>x-amz-mp-parts-count</c>).</summary>
    private static ByteRange? PartRange(S3Request request, ObjectRecord obj)
    {
        var raw = request.Route.Query.Get("partNumber");
        if (raw is null)
        {
            return null;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 10_000)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
        }

        if (request.Header("Range") is not null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Cannot specify both Range header and partNumber query parameter");
        }

        if (number > Math.Max(obj.Parts.Count, 1))
        {
            throw new S3Exception(S3ErrorCode.InvalidPart, "The requested partnumber is not satisfiable");
        }

        if (obj.Parts.Count == 0)
        {
            return null;
        }

        request.Response.Headers["x-amz-mp-parts-count"] = obj.Parts.Count.ToString(CultureInfo.InvariantCulture);
        var start = obj.Parts.Take(number - 1).Sum(p => p.Size);
        return new ByteRange(start, obj.Parts[number - 1].Size);
    }

    private static ByteRange Prepare(S3Request request, ObjectRecord obj, out int status)
    {
        try
        {
            Preconditions.Check(request.Header, "if-", obj.ETag, obj.LastModified);
        }
        catch (S3Exception error) when (error.Code == S3ErrorCode.NotModified)
        {
            // A 304 names what the client has (RFC 9110 15.4.5): its ETag and Last-Modified.
            request.Response.Headers.ETag = S3Xml.Quote(obj.ETag);
            request.Response.Headers.LastModified = obj.LastModified.ToString("R", CultureInfo.InvariantCulture);
            throw;
        }

        var range = PartRange(request, obj);
        if (request.Route.Query.Get("partNumber") is null)
        {
            range = ByteRange.Parse(request.Header("Range"), obj.Size, out var unsatisfiable);
            if (unsatisfiable)
            {
                request.Response.Headers.ContentRange = $"bytes */{obj.Size}";
                throw new S3Exception(S3ErrorCode.InvalidRange) { Details = [new("ActualObjectSize", obj.Size.ToString(CultureInfo.InvariantCulture))] };
            }
        }

        var full = range is null;
        ObjectHeaders.WriteResponse(request.Response, obj, request.Route.Query,
            includeChecksums: full && string.Equals(request.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase));
        ObjectLockHeaders.WriteResponse(request.Response, obj.Attributes.Lock, request.Clock.GetUtcNow());
        foreach (var (name, value) in request.Documents.HeadersFor(obj))
        {
            request.Response.Headers[name] = value;
        }

        var served = range ?? new ByteRange(0, obj.Size);
        request.Response.ContentLength = served.Length;
        if (!full)
        {
            request.Response.Headers.ContentRange = $"bytes {served.Start}-{served.End}/{obj.Size}";
            status = StatusCodes.Status206PartialContent;
        }
        else
        {
            status = StatusCodes.Status200OK;
        }

        return served;
    }
}
