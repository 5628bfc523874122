using System.Security.Cryptography;
using Peerbucket.S3.Checksums;
using Peerbucket.S3.Errors;

namespace Peerbucket.S3.Http;

/// <summary>What a request promised about its body: Content-MD5 and the x-amz-checksum-* value (header or
/// trailer). Streamed bodies are checked by their handlers after staging; a small buffered one here.</summary>
internal static class BodyDigests
{
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

    /// <summary>
    /// Checks <paramref name="body"/> (read to its end, so trailers are in) against Content-MD5 and the checksum the
    /// request names. Amazon S3 requires one of them for DeleteObjects, so a missing value there is InvalidRequest
    /// with S3's own message (x-amz-sdk-checksum-algorithm alone names an algorithm, not a value).
    /// </summary>
    public static void Verify(S3Request request, ReadOnlySpan<byte> body, bool required)
    {
        var md5 = ContentMd5(request);
        var plan = ChecksumPlan.FromHeaders(request.Header);
        if (required && md5 is null && plan.Expected is null && !plan.InTrailer)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Missing required header for this request: Content-MD5");
        }

        if (md5 is not null && !MD5.HashData(body).AsSpan().SequenceEqual(md5))
        {
            throw new S3Exception(S3ErrorCode.BadDigest);
        }

        if (plan.Algorithm is { } algorithm)
        {
            plan.Verify(S3Checksum.ComputeBase64(algorithm, body), request.Payload.Trailers);
        }
    }
}
