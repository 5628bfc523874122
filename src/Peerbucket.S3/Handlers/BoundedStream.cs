using Peerbucket.S3.Http;

namespace Peerbucket.S3.Handlers;

/// <summary>Reads at most <c>remaining</c> bytes of an inner stream.</summary>
internal sealed class BoundedStream(Stream inner, long remaining) : ReadOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken);
        remaining -= read;
        return read;
    }

}
