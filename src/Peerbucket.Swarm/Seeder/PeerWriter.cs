using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// The sending half of a peer connection: one writer at a time (the uploader, the conversation's replies, the
/// choker's decisions), each write handed to the socket in one send, with a timeout so a peer that never reads
/// cannot hold the session (or its buffers) forever.
/// </summary>
internal sealed class PeerWriter(Socket socket, TimeSpan writeTimeout, CancellationToken sessionToken) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource _timeout = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
    private long _lastSend = Stopwatch.GetTimestamp();
    private long _sendingSince;
    private long _written;

    /// <summary>True once a send did not complete in time (the session closes with WriteTimeout).</summary>
    public bool TimedOut => _timeout.IsCancellationRequested && !sessionToken.IsCancellationRequested;

    public TimeSpan SinceLastSend => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastSend));

    /// <summary>Bytes handed to the socket so far (every message, the handshake included).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>How long the send in progress has waited (zero when none is in progress).</summary>
    public TimeSpan Blocked => Interlocked.Read(ref _sendingSince) is var since and not 0 ? Stopwatch.GetElapsedTime(since) : TimeSpan.Zero;

    /// <summary>Sends one message.</summary>
    public Task SendAsync<T>(T message)
        where T : IPeerMessage
        => SendManyAsync([message]);

    /// <summary>Sends messages in one write.</summary>
    public async Task SendManyAsync<T>(IReadOnlyList<T> messages)
        where T : IPeerMessage
    {
        var length = 0;
        foreach (var message in messages)
        {
            length += message.GetByteCount();
        }

        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = 0;
            foreach (var message in messages)
            {
                written += message.Write(buffer.AsSpan(written));
            }

            await SendRawAsync(buffer.AsMemory(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends bytes already framed (the greeting, a batch of piece messages) in one write.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _lock.WaitAsync(sessionToken);
        try
        {
            _timeout.CancelAfter(writeTimeout);
            Interlocked.Exchange(ref _sendingSince, Stopwatch.GetTimestamp());
            try
            {
                while (!bytes.IsEmpty)
                {
                    var sent = await socket.SendAsync(bytes, SocketFlags.None, _timeout.Token);
                    bytes = bytes[sent..];
                    Interlocked.Add(ref _written, sent);
                }
            }
            finally
            {
                Interlocked.Exchange(ref _sendingSince, 0);
            }

            _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            _timeout.Token.ThrowIfCancellationRequested();
            Interlocked.Exchange(ref _lastSend, Stopwatch.GetTimestamp());
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
}
