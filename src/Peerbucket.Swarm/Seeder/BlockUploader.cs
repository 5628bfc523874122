using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// The serving side of one peer connection: the queue of accepted block requests, the choke state the choker asks
/// for (and the messages that announce it), the BEP 6 allowed fast set, and the loop that serves queued requests in
/// batches: blocks read straight from the object's file into one pooled buffer of framed piece messages (no object
/// is ever held whole), sent in one write, through the upload throttle.
/// </summary>
internal sealed class BlockUploader
{
    private readonly SeederContext _context;
    private readonly ServedTorrent _served;
    private readonly SafeFileHandle _blob;
    private readonly PeerWriter _writer;
    private readonly bool _peerFast;
    private readonly Func<bool> _stillServed;
    private readonly SwarmMembership _membership;
    private readonly RequestQueue _queue;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationToken _life;
    private HashSet<int> _allowedFast = [];

    /// <summary>When the last choke was sent: a held-back peer stays choked a whole round, so the requests it had in
    /// flight are refused while it is choked, not after an unchoke (each of those would hold it back again).</summary>
    private long _chokedAt;
    private long _bytesSent;
    private long _requestsAccepted;
    private volatile bool _wantUnchoked;
    private volatile bool _unchoked;
    private volatile bool _heldBack;
    private int _chokeChanges;

    public BlockUploader(SeederContext context, ServedTorrent served, SafeFileHandle blob, PeerWriter writer, bool peerFast, Func<bool> stillServed,
        SwarmMembership membership, CancellationToken life)
    {
        _stillServed = stillServed;
        _membership = membership;
        _context = context;
        _served = served;
        _blob = blob;
        _writer = writer;
        _peerFast = peerFast;
        _life = life;
        _queue = new RequestQueue(context.Options.MaxRequestsPerPeer);
        ObjectKey = UploadThrottle.KeyOf(served.Object.Bucket, served.Object.Key);
    }

    private static readonly TimeSpan OfferInterval = TimeSpan.FromSeconds(1);

    /// <summary>The per-object throttle key, <c>bucket/key</c>.</summary>
    public string ObjectKey { get; }

    /// <summary>Remembers the allowed fast set sent to the peer; call before <see cref="RunAsync"/>.</summary>
    public void Allow(IEnumerable<int> pieces) => _allowedFast = [.. pieces];

    /// <summary>The choker's decision; the loop turns it into choke/unchoke messages.</summary>
    public void SetChoked(bool choked)
    {
        _wantUnchoked = !choked;
        Wake();
    }

    /// <summary>
    /// The peer (told HaveAll) asked for a piece the thrifty origin leaves to its peers: choke it rather than refuse
    /// request after request (a client that believes we have every piece asks again at once, hundreds of times a
    /// second). Once a second the loop looks for a piece the origin would serve it; then it is unchoked with a BEP 6
    /// suggest for that piece.
    /// </summary>
    public void HoldBack()
    {
        _heldBack = true;
        Wake();
    }

    /// <summary>True while the peer may request (unchoked, not held back), as far as it has been told.</summary>
    public bool Unchoked => _unchoked;

    /// <summary>How often choke or unchoke was sent: requests refused since the last change are the ones that raced it.</summary>
    public int ChokeChanges => Volatile.Read(ref _chokeChanges);

    /// <summary>Block bytes sent so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Requests queued so far.</summary>
    public long RequestsAccepted => Interlocked.Read(ref _requestsAccepted);

    /// <summary>Queues a valid request when it may be served (unchoked, or an allowed fast piece) and there is room;
    /// false when the caller must refuse it.</summary>
    public bool TryAccept(RequestMessage request)
    {
        if ((!_unchoked && !_allowedFast.Contains(request.Index)) || !_queue.TryAdd(request))
        {
            return false;
        }

        Interlocked.Increment(ref _requestsAccepted);
        Wake();
        return true;
    }

    /// <summary>BEP 3 cancel; with the fast extension a cancelled queued request is answered by a reject.</summary>
    public async Task CancelAsync(RequestMessage request)
    {
        if (_queue.Remove(request) && _peerFast)
        {
            await _writer.SendAsync(new RejectRequestMessage(request.Index, request.Begin, request.Length));
        }
    }

    /// <summary>Serves until the session ends (cancellation or a write failure throws); returns a reason when the
    /// object's bytes cannot be read or it is no longer served (checked before every batch).</summary>
    public async Task<DisconnectReason?> RunAsync()
    {
        var unchokedSent = false;
        while (!_life.IsCancellationRequested)
        {
            // A super-seeded peer's next offer depends on what other peers report: look once a second.
            var woken = await _wake.WaitAsync(_membership.SuperSeeding || _heldBack ? OfferInterval : _context.Options.KeepAliveInterval, _life);
            if (_membership.TakeOffers() is { Count: > 0 } offers)
            {
                _context.Logger.LogDebug("Offering {Count} piece(s), first {First}, to {Peer}", offers.Count, offers[0], _membership.Recipient);
                await _writer.SendManyAsync(offers.Select(piece => new HaveMessage(piece)).ToList());
            }

            // Held back: choked first (at least one round), then unchoked once the origin has a piece for it.
            var suggest = -1;
            if (_heldBack && !unchokedSent && _wantUnchoked && Stopwatch.GetElapsedTime(_chokedAt) >= OfferInterval
                && (suggest = _membership.PieceToServe()) >= 0)
            {
                _heldBack = false;
            }

            var wantUnchoked = _wantUnchoked && !_heldBack;
            if (wantUnchoked != unchokedSent)
            {
                unchokedSent = wantUnchoked;
                await ApplyChokeAsync(wantUnchoked);
                if (wantUnchoked && suggest >= 0 && _peerFast)
                {
                    await _writer.SendAsync(new SuggestPieceMessage(suggest));
                }
            }

            if (!woken && _writer.SinceLastSend >= _context.Options.KeepAliveInterval)
            {
                await _writer.SendAsync(default(KeepAliveMessage));
            }

            for (var batch = TakeBatch(); batch.Count > 0; batch = TakeBatch())
            {
                if (!_stillServed())
                {
                    return DisconnectReason.NoLongerServed;
                }

                if (!await ServeAsync(batch))
                {
                    return DisconnectReason.BlobUnavailable;
                }
            }
        }

        return null;
    }

    /// <summary>The next request to serve: any when unchoked, else only pieces of the allowed fast set.</summary>
    private bool TryTakeServable(out RequestMessage request)
    {
        if (_wantUnchoked && _unchoked && !_heldBack)
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
        Interlocked.Increment(ref _chokeChanges);
        if (unchoke)
        {
            _unchoked = true;
            await _writer.SendAsync(default(UnchokeMessage));
            return;
        }

        _unchoked = false;
        _chokedAt = Stopwatch.GetTimestamp();
        await _writer.SendAsync(default(ChokeMessage));
        var dropped = _queue.RemoveWhere(r => !_allowedFast.Contains(r.Index));
        if (_peerFast && dropped.Count > 0)
        {
            await _writer.SendManyAsync(dropped.Select(r => new RejectRequestMessage(r.Index, r.Begin, r.Length)).ToList());
        }
    }

    /// <summary>Takes servable requests up to <see cref="SeederOptions.MaxSendBuffer"/> bytes of piece messages.</summary>
    private List<RequestMessage> TakeBatch()
    {
        var batch = new List<RequestMessage>();
        var bytes = 0;
        var limit = Math.Max(_context.Options.MaxSendBuffer, PieceMessageHeader.ByteCount + PeerWireLimits.MaxBlockLength);
        while (bytes + PieceMessageHeader.ByteCount + PeerWireLimits.MaxBlockLength <= limit && TryTakeServable(out var request))
        {
            batch.Add(request);
            bytes += PieceMessageHeader.ByteCount + request.Length;
        }

        return batch;
    }

    /// <summary>
    /// Frames a batch of piece messages in one pooled buffer: each header written in place, the blocks filled by one
    /// scatter read per contiguous run of the file (consecutive blocks usually are), then one send. False when the
    /// blob is shorter than its record says.
    /// </summary>
    private async Task<bool> ServeAsync(List<RequestMessage> batch)
    {
        var facts = _served.Torrent.Facts;
        var total = 0;
        var payload = 0;
        foreach (var request in batch)
        {
            total += PieceMessageHeader.ByteCount + request.Length;
            payload += request.Length;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            await _context.Throttle.TakeAsync(ObjectKey, payload, _life);
            await _context.Origins.Budget.TakeAsync(ObjectKey, payload, _life);
            var run = new List<Memory<byte>>();
            long runStart = 0, runEnd = 0;
            var position = 0;
            foreach (var request in batch)
            {
                new PieceMessageHeader(request.Index, request.Begin, request.Length).Write(buffer.AsSpan(position));
                position += PieceMessageHeader.ByteCount;
                var offset = ((long)request.Index * facts.PieceLength) + request.Begin;

                // A v2-only torrent's last piece may be asked for whole: the bytes past the object are zeros.
                var available = (int)Math.Clamp(facts.Length - offset, 0, request.Length);
                buffer.AsSpan(position + available, request.Length - available).Clear();
                if (available > 0)
                {
                    if (run.Count > 0 && offset != runEnd)
                    {
                        if (!await ReadFullyAsync(run, runStart))
                        {
                            return false;
                        }

                        run.Clear();
                    }

                    if (run.Count == 0)
                    {
                        runStart = offset;
                    }

                    run.Add(buffer.AsMemory(position, available));
                    runEnd = offset + available;
                }

                position += request.Length;
            }

            if (run.Count > 0 && !await ReadFullyAsync(run, runStart))
            {
                return false;
            }

            await _writer.SendRawAsync(buffer.AsMemory(0, total));
            var lastPiece = -1;
            foreach (var request in batch)
            {
                if (request.Index != lastPiece)
                {
                    _membership.Gave(request.Index);
                    lastPiece = request.Index;
                }
            }

            _context.Stats.AddBytesSent(_served.Object.Bucket, _served.Object.Key, payload);
            Interlocked.Add(ref _bytesSent, payload);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fills <paramref name="slices"/> from the blob starting at <paramref name="offset"/> (preadv), going on
    /// after short reads; false at a premature end of file.</summary>
    private async Task<bool> ReadFullyAsync(List<Memory<byte>> slices, long offset)
    {
        IReadOnlyList<Memory<byte>> remaining = slices;
        while (remaining.Count > 0)
        {
            var read = await RandomAccess.ReadAsync(_blob, remaining, offset, _life);
            if (read == 0)
            {
                return false;
            }

            offset += read;
            remaining = Skip(remaining, read);
        }

        return true;
    }

    private static List<Memory<byte>> Skip(IReadOnlyList<Memory<byte>> slices, long bytes)
    {
        var rest = new List<Memory<byte>>(slices.Count);
        foreach (var slice in slices)
        {
            if (bytes >= slice.Length)
            {
                bytes -= slice.Length;
                continue;
            }

            rest.Add(slice[(int)bytes..]);
            bytes = 0;
        }

        return rest;
    }

    /// <summary>Has the loop look at its queue, choke state and offers now.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0 && !_life.IsCancellationRequested)
        {
            _wake.Release();
        }
    }
}
