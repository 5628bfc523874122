using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Peerbucket.Storage.Blobs;

/// <summary>Streams a byte range of an open blob to a response body with positional reads into pooled buffers.</summary>
public static class BlobSender
{
    private const int ChunkSize = 256 * 1024;

    /// <summary>Sends <paramref name="length"/> bytes from <paramref name="offset"/>; <paramref name="sent"/> hears of each
    /// chunk handed to the writer, so an aborted download still counts what went out.</summary>
    public static async Task SendAsync(PipeWriter writer, SafeFileHandle file, long offset, long length, Action<int> sent, CancellationToken cancellationToken)
    {
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
