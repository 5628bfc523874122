namespace Peerbucket.Interop.Tests;

/// <summary>A seekable read-only stream over bytes that hands out at most 64 KiB per read after a short delay, so an upload is still in flight when the server is killed.</summary>
public sealed class ThrottledStream(byte[] bytes, TimeSpan delayPerRead) : Stream
{
    private const int MaxRead = 64 * 1024;
    private readonly MemoryStream inner = new(bytes, writable: false);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Thread.Sleep(delayPerRead);
        return inner.Read(buffer, offset, Math.Min(count, MaxRead));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(delayPerRead, cancellationToken);
        return inner.Read(buffer.Span[..Math.Min(buffer.Length, MaxRead)]);
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
}
