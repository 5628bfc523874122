using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>A minimal peer written for the tests: sends raw frames, reads whole messages, notices a close.</summary>
public sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client;
    private NetworkStream? _stream;

    private RawPeer(IPAddress? from) => _client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));

    /// <summary>Connects to <paramref name="endPoint"/>, from the local address <paramref name="from"/> when given (any
    /// 127.0.0.0/8 address works on loopback). A seeder that refuses the connection at once may reset it before the
    /// connect completes: the peer is then closed (<see cref="IsClosedWithinAsync"/> says so; reading or writing
    /// throws).</summary>
    public static async Task<RawPeer> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var peer = new RawPeer(from);
        try
        {
            await peer._client.ConnectAsync(endPoint);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
            peer._resetAtConnect = true;
            return peer;
        }

        peer._stream = peer._client.GetStream();
        return peer;
    }

    private bool _resetAtConnect;

    private NetworkStream Stream => _stream ?? throw new IOException("the server reset the connection as it was made");

    public Task SendHandshakeAsync(ReadOnlyMemory<byte> infoHash, bool fast = true, bool extensions = true)
    {
        var handshake = new Handshake(Handshake.CreateReserved(fast, extensions), infoHash.Span, "-TS0001-000000000001"u8);
        var bytes = new byte[Handshake.ByteCount];
        handshake.Write(bytes);
        return SendAsync(bytes);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await Stream.WriteAsync(bytes);

    public Task SendAsync<T>(T message)
        where T : IPeerMessage
    {
        var bytes = new byte[message.GetByteCount()];
        message.Write(bytes);
        return SendAsync(bytes);
    }

    public async Task<Handshake> ReadHandshakeAsync()
    {
        var bytes = await ReadExactlyAsync(Handshake.ByteCount);
        Assert.Equal(HandshakeStatus.Done, Handshake.TryParse(bytes, out var handshake, out _));
        return handshake!;
    }

    /// <summary>The next non-keep-alive message: id and payload.</summary>
    public async Task<(PeerMessageId Id, byte[] Payload)> ReadMessageAsync()
    {
        while (true)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(await ReadExactlyAsync(4));
            if (length == 0)
            {
                continue;
            }

            var body = await ReadExactlyAsync(length);
            return ((PeerMessageId)body[0], body[1..]);
        }
    }

    /// <summary>Reads messages until one with <paramref name="id"/> arrives.</summary>
    public async Task<byte[]> ReadUntilAsync(PeerMessageId id)
    {
        while (true)
        {
            var (got, payload) = await ReadMessageAsync();
            if (got == id)
            {
                return payload;
            }
        }
    }

    /// <summary>True when the seeder closes the connection (reads to end of stream) within <paramref name="timeout"/>.</summary>
    public async Task<bool> IsClosedWithinAsync(TimeSpan timeout)
    {
        if (_resetAtConnect)
        {
            return true;
        }

        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await Stream.ReadAsync(buffer, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
        }

        _client.Dispose();
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var bytes = new byte[count];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Stream.ReadExactlyAsync(bytes, cts.Token);
        return bytes;
    }
}
