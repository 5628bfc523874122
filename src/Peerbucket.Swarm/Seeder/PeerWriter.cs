using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// The sending half of a peer connection: one writer at a time (the request pump, the reading side's replies, the
/// choker's decisions), a bounded amount of unflushed data, and a timeout on every flush so a peer that never reads
/// cannot hold the session (or its memory) forever.
/// </summary>
internal sealed class PeerWriter(PipeWriter writer, TimeSpan writeTimeout, int maxUnflushed, CancellationToken sessionToken) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
    private long _lastSend = Stopwatch.GetTimestamp();
    private int _unflushed;

    /// <summary>True once a flush did not complete in time (the session closes with WriteTimeout).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested && !sessionToken.IsCancellationRequested;

    public TimeSpan SinceLastSend => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSend));

    /// <summary>Writes one message and flushes.</summary>
    public Task SendAsync<T>(T message)
        where T : IPeerMessage
        => SendManyAsync([message]);

    /// <summary>Writes messages and flushes once.</summary>
    public async Task SendManyAsync<T>(IReadOnlyList<T> messages)
        where T : IPeerMessage
    {
        await _lock.WaitAsync(sessionToken);
        try
        {
            foreach (var message in messages)
            {
                var count = message.GetByteCount();
                message.Write(writer.GetSpan(count));
                writer.Advance(count);
            }

            await FlushAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes raw bytes (the handshake) without flushing.</summary>
    public async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, bool flush)
    {
        await _lock.WaitAsync(sessionToken);
        try
        {
            writer.Write(bytes.Span);
            _unflushed += bytes.Length;
            if (flush)
            {
                await FlushAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A piece message; flushed when <paramref name="flush"/> or when enough is buffered.</summary>
    public async Task SendPieceAsync(RequestMessage request, ReadOnlyMemory<byte> block, bool flush)
    {
        await _lock.WaitAsync(sessionToken);
        try
        {
            var header = new PieceMessageHeader(request.Index, request.Begin, block.Length);
            header.Write(writer.GetSpan(PieceMessageHeader.ByteCount));
            writer.Advance(PieceMessageHeader.ByteCount);
            writer.Write(block.Span);
            _unflushed += header.MessageByteCount;
            if (flush || _unflushed >= maxUnflushed)
            {
                await FlushAsync();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _lock.Dispose();
    }

    private async Task FlushAsync()
    {
        _timeout.CancelAfter(writeTimeout);
        await writer.FlushAsync(_timeout.Token);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        _timeout.Token.ThrowIfCancellationRequested();

        _unflushed = 0;
        Interlocked.Exchange(ref _lastSend, Stopwatch.GetTimestamp());
    }
}
