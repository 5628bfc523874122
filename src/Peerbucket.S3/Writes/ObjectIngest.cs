using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Peerbucket.S3.Checksums;
using Peerbucket.S3.Errors;
using Peerbucket.Storage.Blobs;
using Peerbucket.Storage.Content;

namespace Peerbucket.S3.Writes;

/// <summary>
/// The write path's single pass: body bytes go to the blob and, on the way, through MD5 (the ETag), the requested
/// flexible checksum and the content facts (torrent piece hashes; the caller finishes them). Nothing is committed here.
/// </summary>
internal static class ObjectIngest
{
    private const int BufferSize = 1024 * 1024;

    public sealed record Result(long Size, byte[] Md5, string? Checksum);

    public static async Task<Result> CopyAsync(
        Stream source, BlobWriter target, long? expectedLength, long maxLength, S3ChecksumAlgorithm? checksum,
        IContentHasher? facts, CancellationToken cancellationToken, bool computeMd5 = true)
    {
        using var md5 = computeMd5 ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
        using var sum = checksum is { } algorithm ? new S3Checksum(algorithm) : null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            while (true)
            {
                // Fill the buffer before hashing and writing: sockets hand out a few KiB at a time, and large
                // chunks let the hashers use their fast paths and the disk see large writes.
                var read = 0;
                try
                {
                    int n;
                    while (read < BufferSize && (n = await source.ReadAsync(buffer.AsMemory(read, BufferSize - read), cancellationToken)) > 0)
                    {
                        read += n;
                    }
                }
                catch (BadHttpRequestException)
                {
                    throw new S3Exception(S3ErrorCode.IncompleteBody);
                }

                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxLength)
                {
                    throw new S3Exception(S3ErrorCode.EntityTooLarge);
                }

                var chunk = buffer.AsSpan(0, read);
                md5?.AppendData(chunk);
                sum?.Append(chunk);
                facts?.Append(chunk);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (expectedLength is { } expected && expected != total)
        {
            throw new S3Exception(S3ErrorCode.IncompleteBody);
        }

        return new Result(total, md5?.GetHashAndReset() ?? [], sum?.GetBase64());
    }
}
