using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Peerbucket.Storage.Blobs;

/// <summary>
/// Streams a byte range of an open blob to a response body: positional reads of at most <see cref="ChunkSize"/> straight
/// into the writer's buffer, each flushed before the next is read. What one response holds in memory is therefore one
/// chunk plus the server's output buffer, however slowly its client reads; a client that drains nothing of a chunk
/// within the drain timeout is cut off (<see cref="ClientTooSlowException"/>): a connection that never reads cannot
/// hold its buffers forever. At 64 KiB per 30 s that is a minimum rate of about 2 KiB/s.
/// </summary>
public static class BlobSender
{
    /// <summary>Bytes read and flushed per step.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>How long a flush may wait for the client before the response is cut off.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="length"/> bytes from <paramref name="offset"/>; <paramref name="sent"/> hears of each
    /// chunk the client took, so an aborted download still counts what went out. Stops early when the client is gone.</summary>
    public static async Task SendAsync(PipeWriter writer, SafeFileHandle file, long offset, long length, Action<int> sent,
        CancellationToken cancellationToken, TimeSpan? drainTimeout = null)
    {
        var timeout = drainTimeout ?? DefaultDrainTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (length > 0)
        {
            var want = (int)Math.Min(ChunkSize, length);
            var read = await RandomAccess.ReadAsync(file, writer.GetMemory(want)[..want], offset, cancellationToken);
            if (read == 0)
            {
                throw new IOException("blob ended before its recorded size");
            }

            writer.Advance(read);
            deadline.CancelAfter(timeout);
            FlushResult flushed;
            try
            {
                flushed = await writer.FlushAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ClientTooSlowException(timeout);
            }

            deadline.CancelAfter(Timeout.InfiniteTimeSpan);
            sent(read);
            if (flushed.IsCompleted)
            {
                return;
            }

            offset += read;
            length -= read;
        }
    }
}
