using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace Peerbucket.S3.Handlers;

/// <summary>Streams a byte range of an open blob to the response with positional reads into pooled buffers.</summary>
public static class BlobSender
{
    private const int ChunkSize = 256 * 1024;

    /// <summary>Sends <paramref name="length"/> bytes from <paramref name="offset"/>; <paramref name="sent"/> hears of each
    /// chunk handed to the response, so an aborted download still counts what went out.</summary>
    public static async Task SendAsync(HttpResponse response, SafeFileHandle file, long offset, long length, Action<int> sent, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (length > 0)
            {
                var want = (int)Math.Min(ChunkSize, length);
                var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, want), offset, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("blob ended before its recorded size");
                }

                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                sent(read);
                offset += read;
                length -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
