using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Peerbucket.Storage.Blobs;

/// <summary>
/// Streams a byte range of an open blob to a response body: positional reads of at most <see cref="ChunkSize"/> (of
/// <see cref="SlowChunkSize"/> once the client proved slow) straight
/// into the writer's buffer, each flushed before the next is read. What one response holds in memory is therefore one
/// chunk plus the server's output buffer, however slowly its client reads. A flush still waiting after the drain timeout
/// asks the connection whether the client acknowledged anything since the last look (<see cref="TcpProgress"/>): a
/// client that took nothing for that long is cut off (<see cref="ClientTooSlowException"/>), so a connection that never
/// reads cannot hold its socket and buffers forever, while a slow reader (any rate) keeps going.
/// </summary>
public static class BlobSender
{
    /// <summary>Bytes read and flushed per step.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Bytes per step once the client proved slow (a flush waited <see cref="SlowFlush"/>): what a response
    /// holds while its client reads slowly is about one step, so a thousand slow readers cost a quarter of the memory
    /// (bench 10: managed heap 195 MB with 64 KiB steps, 122 MB with 16 KiB).</summary>
    public const int SlowChunkSize = 16 * 1024;

    /// <summary>A flush that waited this long marks a slow client (a fast one drains a step in well under a millisecond).</summary>
    public static readonly TimeSpan SlowFlush = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a flush may wait for the client before the response is cut off.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Sends <paramref name="length"/> bytes from <paramref name="offset"/>; <paramref name="sent"/> hears of each
    /// chunk the client took, so an aborted download still counts what went out. Stops early when the client is gone.</summary>
    /// <param name="progress">Bytes the client acknowledged so far (<see cref="TcpProgress.Of"/>); null: unknown, and a
    /// flush that waits past the drain timeout cuts the client off.</param>
    public static async Task SendAsync(PipeWriter writer, SafeFileHandle file, long offset, long length, Action<int> sent,
        CancellationToken cancellationToken, TimeSpan? drainTimeout = null, Func<long>? progress = null)
    {
        var timeout = drainTimeout ?? DefaultDrainTimeout;
        var step = ChunkSize;
        while (length > 0)
        {
            var want = (int)Math.Min(step, length);
            var read = await RandomAccess.ReadAsync(file, writer.GetMemory(want)[..want], offset, cancellationToken);
            if (read == 0)
            {
                throw new IOException("blob ended before its recorded size");
            }

            writer.Advance(read);
            var flush = writer.FlushAsync(cancellationToken);
            FlushResult flushed;
            if (flush.IsCompleted)
            {
                flushed = flush.Result;
            }
            else
            {
                var waited = Stopwatch.GetTimestamp();
                flushed = await DrainAsync(flush.AsTask(), timeout, progress, cancellationToken);
                if (Stopwatch.GetElapsedTime(waited) >= SlowFlush)
                {
                    step = SlowChunkSize;
                }
            }

            sent(read);
            if (flushed.IsCompleted)
            {
                return;
            }

            offset += read;
            length -= read;
        }
    }

    /// <summary>Waits for a pending flush, in rounds of <paramref name="timeout"/>; after a round in which the client
    /// acknowledged nothing, gives up (the caller aborts the connection, which ends the flush).</summary>
    private static async Task<FlushResult> DrainAsync(Task<FlushResult> flush, TimeSpan timeout, Func<long>? progress, CancellationToken cancellationToken)
    {
        var acked = progress?.Invoke() ?? -1;
        while (true)
        {
            try
            {
                return await flush.WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                var now = progress?.Invoke() ?? -1;
                if (now < 0 || now == acked)
                {
                    _ = flush.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw new ClientTooSlowException(timeout);
                }

                acked = now;
            }
        }
    }
}
