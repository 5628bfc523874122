namespace Peerbucket.S3.Tests.Auth;

/// <summary>A read-only stream over bytes that never returns more than <c>maxRead</c> bytes per read and never
/// reads across <c>splitAt</c>, so chunk boundaries land at every possible place.</summary>
internal sealed class SegmentedStream(byte[] data, int maxRead = int.MaxValue, int splitAt = -1) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var limit = Math.Min(count, Math.Min(maxRead, data.Length - _position));
        if (splitAt > _position)
        {
            limit = Math.Min(limit, splitAt - _position);
        }

        Array.Copy(data, _position, buffer, offset, limit);
        _position += limit;
        return limit;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var temp = new byte[buffer.Length];
        var read = Read(temp, 0, temp.Length);
        temp.AsSpan(0, read).CopyTo(buffer.Span);
        return ValueTask.FromResult(read);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
