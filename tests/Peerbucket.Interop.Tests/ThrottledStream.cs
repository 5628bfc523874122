using System.Diagnostics;

namespace Peerbucket.Interop.Tests;

/// <summary>
/// A seekable read-only stream over bytes that delivers them no faster than <c>bytesPerSecond</c> (counted from the
/// first read), in reads of at most 64 KiB, so an upload is still in flight for a known time whatever the reader's
/// buffer size.
/// </summary>
public sealed class ThrottledStream(byte[] bytes, int bytesPerSecond) : Stream
{
    private const int MaxRead = 64 * 1024;
    private readonly MemoryStream inner = new(bytes, writable: false);
    private Stopwatch? clock;
    private long delivered;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Thread.Sleep(WaitFor(Math.Min(count, MaxRead)));
        return Deliver(buffer.AsSpan(offset, Math.Min(count, MaxRead)));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Math.Min(buffer.Length, MaxRead);
        await Task.Delay(WaitFor(count), cancellationToken);
        return Deliver(buffer.Span[..count]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private TimeSpan WaitFor(int count)
    {
        clock ??= Stopwatch.StartNew();
        var due = TimeSpan.FromSeconds((double)(delivered + count) / bytesPerSecond);
        return due > clock.Elapsed ? due - clock.Elapsed : TimeSpan.Zero;
    }

    private int Deliver(Span<byte> destination)
    {
        var read = inner.Read(destination);
        delivered += read;
        return read;
    }
}
