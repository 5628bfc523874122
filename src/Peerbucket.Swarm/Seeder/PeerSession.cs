using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Storage.Blobs;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// One peer connection from accept to close: the handshake (with a timeout) for an info-hash the store serves, our
/// greeting, then a framing loop that hands each message to the <see cref="SeedConversation"/> while a
/// <see cref="BlockUploader"/> serves the accepted requests. Whatever ends it records one <see cref="Disconnect"/> (the
/// <see cref="DisconnectReason"/>, with the parser's <see cref="PeerWireError"/> when it rejected the peer's bytes),
/// counted and logged once in <see cref="RunAsync"/>.
/// </summary>
internal sealed class PeerSession : IChokeablePeer
{
    private readonly Socket _socket;
    private readonly Func<long>? _acked;
    private readonly SeederContext _context;
    private readonly CancellationTokenSource _life;
    private readonly CancellationTokenSource _readTimeout;
    private readonly CancellationToken _stopping;
    private int _closed;
    private Disconnect _disconnect;
    private ServedTorrent? _served;
    private ServingGrant? _grant;
    private PeerWriter? _writer;
    private BlockUploader? _uploader;
    private SeedConversation? _conversation;
    private SwarmMembership? _membership;
    private bool _peerFast;
    private bool _peerExtensions;

    public PeerSession(Socket socket, SeederContext context, CancellationToken stopping)
    {
        _socket = socket;
        _acked = TcpProgress.Of(socket);
        _context = context;
        _stopping = stopping;
        _life = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _readTimeout = CancellationTokenSource.CreateLinkedTokenSource(_life.Token);
        Remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
    }

    public IPEndPoint Remote { get; }

    /// <summary>When the connection was accepted (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long ConnectedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>How this session ranks for eviction when the seeder is full (<see cref="SlotEviction"/>): null while
    /// it may not be evicted (before its conversation begins, or it asked for a block lately, or it is a super-seeded
    /// peer waiting for its next offer: the wait is ours).</summary>
    public SlotEviction.Candidate? EvictionCandidate(long now, TimeSpan after)
    {
        if (_conversation is not { } conversation || _membership is not { } membership)
        {
            return null;
        }

        var lastUse = Math.Max(ConnectedAt, conversation.LastRequest);
        var idle = System.Diagnostics.Stopwatch.GetElapsedTime(lastUse, now);
        if (idle < after)
        {
            return null;
        }

        var rank = conversation.PeerIsSeed ? SlotEviction.Uselessness.Seed
            : !conversation.PeerInterested ? SlotEviction.Uselessness.NotInterested
            : membership.SuperSeeding ? (SlotEviction.Uselessness?)null
            : SlotEviction.Uselessness.NotRequesting;
        return rank is { } r ? new SlotEviction.Candidate(this, r, idle) : null;
    }

    /// <summary>Closes the session for a newcomer; false when it was closing already (someone else's eviction, or its
    /// own end).</summary>
    public bool TryEvict() => Close(DisconnectReason.Evicted);

    /// <summary>True once <see cref="TryEvict"/> closed this session (its reason is set before the close begins).</summary>
    public bool WasEvicted => _disconnect.Reason == DisconnectReason.Evicted;

    /// <summary>The info-hash the peer connected with (20 bytes), once the handshake is read.</summary>
    public byte[]? InfoHash { get; private set; }

    /// <summary>The object served, once the handshake is read.</summary>
    public ServedTorrent? Served => _served;

    /// <summary>True while the store still serves this session's object (false before the handshake is read).</summary>
    public bool IsStillServed() => Volatile.Read(ref _grant)?.IsCurrent() == true;

    /// <summary>The per-object throttle key, once the handshake is read.</summary>
    public string? ObjectKey => _uploader?.ObjectKey;

    /// <summary>Closes the session (first reason wins); safe from any thread. False when it was closing already.</summary>
    public bool Close(Disconnect disconnect)
    {
        if (Interlocked.CompareExchange(ref _closed, 1, 0) != 0)
        {
            return false;
        }

        _disconnect = disconnect;
        _life.Cancel();
        return true;
    }

    /// <summary>The choker's decision; the uploader turns it into choke/unchoke messages.</summary>
    public void SetChoked(bool choked) => _uploader?.SetChoked(choked);

    public long BytesDrained => _acked?.Invoke() ?? _uploader?.BytesSent ?? 0;

    public long Untaken => _writer is not { } writer ? 0
        : _acked is { } acked ? Math.Max(0, writer.Written - acked())
        : writer.Blocked > TimeSpan.Zero ? 1 : 0;

    public long RequestsAccepted => _uploader?.RequestsAccepted ?? 0;

    public bool Listed => _membership?.Listed ?? false;

    /// <summary>Runs the session to its end and closes the socket. Never throws.</summary>
    public async Task RunAsync(DisconnectReason? refuse = null)
    {
        var stream = new NetworkStream(_socket, ownsSocket: true);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true, useZeroByteReads: true));
        _writer = new PeerWriter(_socket, _context.Options.WriteTimeout, _life.Token);
        Task sending = Task.CompletedTask;
        Microsoft.Win32.SafeHandles.SafeFileHandle? blob = null;
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
            else if (!IsStillServed())
            {
                Close(DisconnectReason.NoLongerServed);
            }
            else if ((blob = _context.Blobs.TryOpenRead(_served!.Object.BlobId)) is null)
            {
                Close(DisconnectReason.BlobUnavailable);
            }
            else
            {
                var hash = InfoHash!;
                _membership = new SwarmMembership(_context.Origins.For(hash, _served), () => _context.Origins.Tracker(hash),
                    _context.Origins.IsThrifty(_served), PeerAddress.ToString(), _context.Origins.TrackerLists(hash, PeerAddress));
                _context.Logger.LogDebug("Peer {Remote} joined the swarm {Mode}", Remote, _membership.SuperSeeding ? "super-seeded" : "told HaveAll");
                _uploader = new BlockUploader(_context, _served, blob, _writer, _peerFast, IsStillServed, _membership, _life.Token);
                _membership.WakeWith(_uploader.Wake);
                _conversation = new SeedConversation(this, _context, _served, _writer, _uploader, _peerFast, _membership);
                await SendGreetingAsync();
                sending = UploadAsync(_uploader);
                Close(await ReadLoopAsync(reader, _conversation));
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
            var reported = _context.Logger.IsEnabled(LogLevel.Debug) ? _membership?.PeerPieces : null; // for the close log only
            _membership?.Dispose();
            ForgetThrottleIfLast();
            blob?.Dispose();
            _writer.Dispose();

            _socket.Close(0);
            await CompleteQuietlyAsync(reader.CompleteAsync());
            await stream.DisposeAsync();
            _readTimeout.Dispose();
            _life.Dispose();
            _context.Stats.Closed(_disconnect);
            LogClosed(reported);
        }
    }

    private async Task UploadAsync(BlockUploader uploader)
    {
        try
        {
            if (await uploader.RunAsync() is { } reason)
            {
                Close(reason);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            Close(Classify(error));
        }
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

    /// <summary>Drops the object's rate bucket when this was its last session (bounded memory).</summary>
    private void ForgetThrottleIfLast()
    {
        if (ObjectKey is not { } key || _context.Throttle.IsUnlimited)
        {
            return;
        }

        foreach (var other in _context.Sessions.Keys)
        {
            if (other.ObjectKey == key)
            {
                return;
            }
        }

        _context.Throttle.Forget(key);
    }

    /// <param name="reported">How many pieces the peer had reported (null before it joined a swarm, or when Debug is off).</param>
    private void LogClosed(int? reported)
    {
        var (reason, wireError) = _disconnect;
        var level = reason is DisconnectReason.MessageTooLong or DisconnectReason.MalformedMessage or DisconnectReason.RequestTooLong
            or DisconnectReason.RequestOutOfRange or DisconnectReason.RequestFlood or DisconnectReason.WriteTimeout
            ? LogLevel.Information
            : LogLevel.Debug;
        var infoHash = InfoHash is null ? "-" : Convert.ToHexStringLower(InfoHash);
        var detail = _conversation?.Detail ?? "";
        if (reported is not null)
        {
            detail += $" (it reported {reported} of {_membership!.PieceCount} pieces)";
        }

        if (wireError == PeerWireError.None)
        {
            _context.Logger.Log(level, "Peer {Remote} closed ({InfoHash}): {Reason} {Detail}", Remote, infoHash, reason, detail);
        }
        else
        {
            _context.Logger.Log(level, "Peer {Remote} closed ({InfoHash}): {Reason} ({WireError}) {Detail}", Remote, infoHash, reason, wireError, detail);
        }
    }

    private DisconnectReason Classify(Exception error) => error switch
    {
        OperationCanceledException when _stopping.IsCancellationRequested => DisconnectReason.ServerStopping,
        OperationCanceledException when _writer?.TimedOut == true => DisconnectReason.WriteTimeout,
        OperationCanceledException when _readTimeout.IsCancellationRequested && !_life.IsCancellationRequested
            => InfoHash is null ? DisconnectReason.HandshakeTimeout : DisconnectReason.IdleTimeout,
        _ => DisconnectReason.ConnectionError,
    };

    private async Task<Disconnect?> HandshakeAsync(PipeReader reader)
    {
        _readTimeout.CancelAfter(_context.Options.HandshakeTimeout);
        Handshake? handshake = null;
        while (handshake is null)
        {
            var result = await reader.ReadAsync(_readTimeout.Token);
            var status = Handshake.TryParse(result.Buffer, out handshake, out var consumed, out var error);

            // Once the handshake is read, what came with it (interested, often in the same packet) is unexamined:
            // marking it examined would make the next read wait for more bytes that may never come.
            reader.AdvanceTo(consumed, status == HandshakeStatus.Done ? consumed : result.Buffer.End);
            if (status == HandshakeStatus.Invalid)
            {
                return Disconnect.Rejected(error);
            }

            if (status == HandshakeStatus.NeedMoreData && result.IsCompleted)
            {
                return DisconnectReason.PeerClosed;
            }
        }

        InfoHash = handshake.InfoHash.ToArray();
        var grant = ServingGrant.TryCreate(_context.Served, InfoHash);
        if (grant is null)
        {
            return DisconnectReason.UnknownInfoHash;
        }

        // Registered before the grant is confirmed (RunAsync checks it next), so a change racing this handshake is
        // caught either by that confirmation or by the listener's re-check walk, which then finds this session.
        _served = grant.Torrent;
        Volatile.Write(ref _grant, grant);
        _context.Sessions.TryAdd(this, 0);

        _peerFast = handshake.SupportsFast;
        _peerExtensions = handshake.SupportsExtensionProtocol;
        return null;
    }

    /// <summary>Our handshake (same info-hash), HaveAll or a full bitfield (super-seeding: HaveNone or nothing, then
    /// the first offer), the BEP 10 handshake and the allowed fast set (none when super-seeding: it would tell pieces),
    /// in one flush.</summary>
    private async Task SendGreetingAsync()
    {
        var torrent = _served!.Torrent;
        var reserved = Handshake.CreateReserved(fast: true, extensionProtocol: true, v2Upgrade: torrent.Hashes.HasV2);
        var ours = new Handshake(reserved, InfoHash, _context.PeerId);
        var buffer = new ArrayBufferWriter<byte>();
        ours.Write(buffer.GetSpan(Handshake.ByteCount));
        buffer.Advance(Handshake.ByteCount);
        var superSeeding = _membership!.SuperSeeding;
        if (superSeeding)
        {
            if (_peerFast)
            {
                Append(buffer, default(HaveNoneMessage));
            }
        }
        else if (_peerFast)
        {
            Append(buffer, default(HaveAllMessage));
        }
        else
        {
            Append(buffer, BitfieldMessage.AllSet(torrent.Facts.PieceCount));
        }

        if (_peerExtensions)
        {
            Append(buffer, new ExtendedHandshake
            {
                Messages = new Dictionary<string, byte> { [UtMetadataMessage.ExtensionName] = SeedConversation.OurUtMetadataId },
                MetadataSize = torrent.Info.Length,
                RequestQueueLength = _context.Options.MaxRequestsPerPeer,
                Version = "Peerbucket",
                YourIp = PeerAddress.GetAddressBytes(),
            }.ToMessage());
        }

        // No allowed-fast set under the thrifty policy: a piece its crowd holds is refused even to a choked peer, and
        // a reject of an allowed-fast piece has aria2 ask again at once (thousands a second, until the flood guard).
        var allowed = superSeeding || _membership.Thrifty ? [] : AllowedFastPieces();
        _uploader!.Allow(allowed);
        foreach (var piece in allowed)
        {
            Append(buffer, new AllowedFastMessage(piece));
        }

        var offers = _membership.TakeOffers();
        if (offers.Count > 0)
        {
            _context.Logger.LogDebug("Offering {Count} piece(s), first {First}, to {Peer} at join", offers.Count, offers[0], Remote);
        }

        foreach (var piece in offers)
        {
            Append(buffer, new HaveMessage(piece));
        }

        await _writer!.SendRawAsync(buffer.WrittenMemory);
    }

    private IPAddress PeerAddress => TrackerService.Normalize(Remote.Address);

    /// <summary>BEP 6 allowed fast set for an IPv4 fast-extension peer (the BEP defines none for IPv6).</summary>
    private int[] AllowedFastPieces()
    {
        var address = PeerAddress;
        if (!_peerFast || address.AddressFamily != AddressFamily.InterNetwork || _context.Options.AllowedFastSetSize <= 0)
        {
            return [];
        }

        return AllowedFastSet.Compute(address.GetAddressBytes(), InfoHash, _served!.Torrent.Facts.PieceCount, _context.Options.AllowedFastSetSize);
    }

    private static void Append<T>(ArrayBufferWriter<byte> buffer, T message)
        where T : IPeerMessage
    {
        var count = message.GetByteCount();
        message.Write(buffer.GetSpan(count));
        buffer.Advance(count);
    }

    /// <summary>Frames messages (bounded length) and hands each to the conversation until one ends the session.</summary>
    private async Task<Disconnect> ReadLoopAsync(PipeReader reader, SeedConversation conversation)
    {
        var maxLength = conversation.MaxMessageLength;
        while (true)
        {
            _readTimeout.CancelAfter(_context.Options.IdleTimeout);
            var result = await reader.ReadAsync(_readTimeout.Token);
            var buffer = result.Buffer;
            Disconnect? outcome = null;
            while (outcome is null)
            {
                var status = PeerMessageReader.TryRead(buffer, maxLength, out var message, out var consumed, out var error);
                if (status == PeerReadStatus.NeedMoreData)
                {
                    break;
                }

                if (status == PeerReadStatus.Invalid)
                {
                    outcome = Disconnect.Rejected(error);
                    break;
                }

                if (status == PeerReadStatus.Message)
                {
                    // Nothing of the object (metadata, hashes, queued blocks) is answered once it stopped being served.
                    outcome = IsStillServed() ? await conversation.HandleAsync(message) : DisconnectReason.NoLongerServed;
                }

                buffer = buffer.Slice(consumed);
            }

            if (outcome is { } reason)
            {
                return reason;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return DisconnectReason.PeerClosed;
            }
        }
    }
}
