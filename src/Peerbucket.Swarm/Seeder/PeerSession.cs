using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// One peer connection: handshake (with a timeout) for an info-hash the store serves, then a reading loop that
/// answers the peer (<see cref="PeerSession"/>'s message handling) and a sending loop that serves queued requests
/// from the object's blob. Whatever ends it records one <see cref="DisconnectReason"/>, logged once in
/// <see cref="RunAsync"/>.
/// </summary>
internal sealed partial class PeerSession
{
    private readonly Socket _socket;
    private readonly SeederContext _context;
    private readonly CancellationTokenSource _life;
    private readonly CancellationTokenSource _readTimeout;
    private readonly CancellationToken _stopping;
    private readonly RequestQueue _queue;
    private readonly SemaphoreSlim _wake = new(0);
    private int _closed;
    private DisconnectReason _reason;
    private ServedTorrent? _served;
    private SafeFileHandle? _blob;
    private PeerWriter? _writer;
    private long _roundBytes;
    private volatile bool _wantUnchoked;
    private string? _closeDetail;

    public PeerSession(Socket socket, SeederContext context, CancellationToken stopping)
    {
        _socket = socket;
        _context = context;
        _stopping = stopping;
        _life = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _readTimeout = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        _queue = new RequestQueue(context.Options.MaxOutstandingRequestsPerPeer);
        Remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
    }

    public IPEndPoint Remote { get; }

    /// <summary>The info-hash the peer connected with (20 bytes), once the handshake is read.</summary>
    public byte[]? InfoHash { get; private set; }

    /// <summary>The object served, once the handshake is read.</summary>
    public ServedTorrent? Served => _served;

    /// <summary>Closes the session (first reason wins); safe from any thread.</summary>
    public void Close(DisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _closed, 1, 0) == 0)
        {
            _reason = reason;
            _life.Cancel();
        }
    }

    /// <summary>The choker's decision; the sending loop turns it into choke/unchoke messages.</summary>
    public void SetChoked(bool choked)
    {
        _wantUnchoked = !choked;
        Wake();
    }

    /// <summary>Block bytes sent since the last call (the choker's upload rate).</summary>
    public long TakeRoundBytes() => Interlocked.Exchange(ref _roundBytes, 0);

    /// <summary>Runs the session to its end and closes the socket. Never throws.</summary>
    public async Task RunAsync(DisconnectReason? refuse = null)
    {
        var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var pipeWriter = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _writer = new PeerWriter(pipeWriter, _context.Options.WriteTimeout, _context.Options.MaxSendBuffer, _life.Token);
        Task sending = Task.CompletedTask;
        try
        {
            if (refuse is { } reason)
            {
                Close(reason);
            }
            else if (await HandshakeAsync(reader) is { } failed)
            {
                Close(failed);
            }
            else
            {
                _context.Sessions.TryAdd(this, 0);
                sending = SendLoopAsync();
                Close(await ReadLoopAsync(reader));
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Close(Classify(error));
        }
        finally
        {
            Close(DisconnectReason.ConnectionError);
            await sending;
            _context.Sessions.TryRemove(this, out _);
            _context.Choker.Remove(this);
            ForgetThrottleIfLast();
            _blob?.Dispose();
            _writer.Dispose();

            // Socket first: completing the writer flushes what is buffered, which must fail fast, not wait on a
            // peer that does not read.
            _socket.Close(0);
            await CompleteQuietlyAsync(reader.CompleteAsync());
            await CompleteQuietlyAsync(pipeWriter.CompleteAsync());
            await stream.DisposeAsync();
            _readTimeout.Dispose();
            _life.Dispose();
            _context.Stats.Closed(_reason);
            LogClosed();
        }
    }

    /// <summary>Drops the object's per-torrent rate bucket when this was its last session (bounded memory).</summary>
    private void ForgetThrottleIfLast()
    {
        if (_served is null || _context.Throttle.IsUnlimited)
        {
            return;
        }

        foreach (var other in _context.Sessions.Keys)
        {
            if (other.ObjectKey == ObjectKey)
            {
                return;
            }
        }

        _context.Throttle.Forget(ObjectKey);
    }

    private static async Task CompleteQuietlyAsync(ValueTask completion)
    {
        try
        {
            await completion;
        }
        catch (Exception error) when (error is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket is closed already; nothing left to deliver.
        }
    }

    private void LogClosed()
    {
        var level = _reason is DisconnectReason.MalformedMessage or DisconnectReason.RequestTooLong
            or DisconnectReason.RequestOutOfRange or DisconnectReason.RequestFlood or DisconnectReason.WriteTimeout
            ? LogLevel.Information
            : LogLevel.Debug;
        _context.Logger.Log(level, "Peer {Remote} closed ({InfoHash}): {Reason} {Detail}", Remote,
            InfoHash is null ? "-" : Convert.ToHexStringLower(InfoHash), _reason, _closeDetail);
    }

    private DisconnectReason Classify(Exception error) => error switch
    {
        OperationCanceledException when _stopping.IsCancellationRequested => DisconnectReason.ServerStopping,
        OperationCanceledException when _writer?.TimedOut == true => DisconnectReason.WriteTimeout,
        OperationCanceledException when _readTimeout.IsCancellationRequested && !_life.IsCancellationRequested
            => InfoHash is null ? DisconnectReason.HandshakeTimeout : DisconnectReason.IdleTimeout,
        _ => DisconnectReason.ConnectionError,
    };

    private async Task<DisconnectReason?> HandshakeAsync(PipeReader reader)
    {
        _readTimeout.CancelAfter(_context.Options.HandshakeTimeout);
        Handshake? handshake = null;
        while (handshake is null)
        {
            var result = await reader.ReadAsync(_readTimeout.Token);
            var status = Handshake.TryParse(result.Buffer, out handshake, out var consumed, out _);
            reader.AdvanceTo(consumed, result.Buffer.End);
            if (status == HandshakeStatus.Invalid)
            {
                return DisconnectReason.InvalidHandshake;
            }

            if (status == HandshakeStatus.NeedMoreData && result.IsCompleted)
            {
                return DisconnectReason.PeerClosed;
            }
        }

        InfoHash = handshake.InfoHash.ToArray();
        _served = _context.Served.Find(InfoHash);
        if (_served is null)
        {
            return DisconnectReason.UnknownInfoHash;
        }

        _blob = _context.Blobs.TryOpenRead(_served.Object.BlobId);
        if (_blob is null)
        {
            return DisconnectReason.BlobUnavailable;
        }

        PeerFast = handshake.SupportsFast;
        PeerExtensions = handshake.SupportsExtensionProtocol;
        ObjectKey = _served.Object.Bucket + "/" + _served.Object.Key; // bucket names have no '/': unique
        await SendGreetingAsync();
        return null;
    }

    /// <summary>Our handshake (same info-hash), HaveAll or a full bitfield, and the BEP 10 handshake, in one flush.</summary>
    private async Task SendGreetingAsync()
    {
        var torrent = _served!.Torrent;
        var reserved = Handshake.CreateReserved(fast: true, extensionProtocol: true, v2Upgrade: torrent.Hashes.HasV2);
        var ours = new Handshake(reserved, InfoHash, _context.PeerId);
        var buffer = new ArrayBufferWriter<byte>();
        ours.Write(buffer.GetSpan(Handshake.ByteCount));
        buffer.Advance(Handshake.ByteCount);
        if (PeerFast)
        {
            Append(buffer, default(HaveAllMessage));
        }
        else
        {
            Append(buffer, BitfieldMessage.AllSet(torrent.Facts.PieceCount));
        }

        if (PeerExtensions)
        {
            var address = Remote.Address.IsIPv4MappedToIPv6 ? Remote.Address.MapToIPv4() : Remote.Address;
            Append(buffer, new ExtendedHandshake
            {
                Messages = new Dictionary<string, byte> { [UtMetadataMessage.ExtensionName] = OurUtMetadataId },
                MetadataSize = torrent.Info.Length,
                RequestQueueLength = _context.Options.MaxOutstandingRequestsPerPeer,
                Version = "Peerbucket",
                YourIp = address.GetAddressBytes(),
            }.ToMessage());
        }

        foreach (var piece in AllowedFastPieces())
        {
            Append(buffer, new AllowedFastMessage(piece));
        }

        await _writer!.WriteRawAsync(buffer.WrittenMemory, flush: true);
    }

    /// <summary>BEP 6 allowed fast set for an IPv4 fast-extension peer (the BEP defines none for IPv6); remembered
    /// so that its requests are served while choked.</summary>
    private int[] AllowedFastPieces()
    {
        var address = Remote.Address.IsIPv4MappedToIPv6 ? Remote.Address.MapToIPv4() : Remote.Address;
        if (!PeerFast || address.AddressFamily != AddressFamily.InterNetwork || _context.Options.AllowedFastSetSize <= 0)
        {
            return [];
        }

        var pieces = AllowedFastSet.Compute(address.GetAddressBytes(), InfoHash, _served!.Torrent.Facts.PieceCount, _context.Options.AllowedFastSetSize);
        _allowedFast = [.. pieces];
        return pieces;
    }

    private static void Append<T>(ArrayBufferWriter<byte> buffer, T message)
        where T : IPeerMessage
    {
        var count = message.GetByteCount();
        message.Write(buffer.GetSpan(count));
        buffer.Advance(count);
    }

    private async Task SendLoopAsync()
    {
        var unchokedSent = false;
        try
        {
            while (!_life.IsCancellationRequested)
            {
                var woken = await _wake.WaitAsync(_context.Options.KeepAliveInterval, _life.Token);
                var wantUnchoked = _wantUnchoked;
                if (wantUnchoked != unchokedSent)
                {
                    unchokedSent = wantUnchoked;
                    await ApplyChokeAsync(wantUnchoked);
                }

                if (!woken && _writer!.SinceLastSend >= _context.Options.KeepAliveInterval)
                {
                    await _writer.SendAsync(default(KeepAliveMessage));
                }

                while (TryTakeServable(out var request))
                {
                    if (!await ServeAsync(request))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Close(Classify(error));
        }
    }

    /// <summary>The next request to serve: any when unchoked, else only pieces of the allowed fast set.</summary>
    private bool TryTakeServable(out RequestMessage request)
    {
        if (_wantUnchoked && PeerUnchoked)
        {
            return _queue.TryTake(out request);
        }

        if (_allowedFast.Count == 0)
        {
            request = default;
            return false;
        }

        return _queue.TryTakeWhere(r => _allowedFast.Contains(r.Index), out request);
    }

    private async Task ApplyChokeAsync(bool unchoke)
    {
        if (unchoke)
        {
            PeerUnchoked = true;
            await _writer!.SendAsync(default(UnchokeMessage));
            return;
        }

        PeerUnchoked = false;
        await _writer!.SendAsync(default(ChokeMessage));
        var dropped = _queue.RemoveWhere(r => !_allowedFast.Contains(r.Index));
        if (PeerFast && dropped.Count > 0)
        {
            await _writer.SendManyAsync(dropped.Select(r => new RejectRequestMessage(r.Index, r.Begin, r.Length)).ToList());
        }
    }

    /// <summary>Reads one block from the blob and sends it; false when the blob cannot be read (session closed).</summary>
    private async Task<bool> ServeAsync(RequestMessage request)
    {
        var facts = _served!.Torrent.Facts;
        var block = ArrayPool<byte>.Shared.Rent(request.Length);
        try
        {
            await _context.Throttle.TakeAsync(ObjectKey, request.Length, _life.Token);
            var offset = (request.Index * facts.PieceLength) + request.Begin;
            var available = (int)Math.Clamp(facts.Length - offset, 0, request.Length);
            block.AsSpan(available, request.Length - available).Clear();
            var filled = 0;
            while (filled < available)
            {
                var read = await RandomAccess.ReadAsync(_blob!, block.AsMemory(filled, available - filled), offset + filled, _life.Token);
                if (read == 0)
                {
                    Close(DisconnectReason.BlobUnavailable);
                    return false;
                }

                filled += read;
            }

            await _writer!.SendPieceAsync(request, block.AsMemory(0, request.Length), flush: _queue.Count == 0);
            _context.Stats.AddBytesSent(_served.Object.Bucket, _served.Object.Key, request.Length);
            Interlocked.Add(ref _roundBytes, request.Length);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0 && _closed == 0)
        {
            _wake.Release();
        }
    }
}
