using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// The serving side of one peer connection: the queue of accepted block requests, the choke state the choker asks
/// for (and the messages that announce it), the BEP 6 allowed fast set, and the loop that reads each block from the
/// object's file with a positional read into a pooled buffer and sends it (through the upload throttle).
/// </summary>
internal sealed class BlockUploader
{
    private readonly SeederContext _context;
    private readonly ServedTorrent _served;
    private readonly SafeFileHandle _blob;
    private readonly PeerWriter _writer;
    private readonly bool _peerFast;
    private readonly RequestQueue _queue;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationToken _life;
    private HashSet<int> _allowedFast = [];
    private long _roundBytes;
    private volatile bool _wantUnchoked;
    private volatile bool _unchoked;

    public BlockUploader(SeederContext context, ServedTorrent served, SafeFileHandle blob, PeerWriter writer, bool peerFast, CancellationToken life)
    {
        _context = context;
        _served = served;
        _blob = blob;
        _writer = writer;
        _peerFast = peerFast;
        _life = life;
        _queue = new RequestQueue(context.Options.MaxOutstandingRequestsPerPeer);
        ObjectKey = served.Object.Bucket + "/" + served.Object.Key; // bucket names have no '/': unique
    }

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

    /// <summary>Block bytes sent since the last call (the choker's upload rate).</summary>
    public long TakeRoundBytes() => Interlocked.Exchange(ref _roundBytes, 0);

    /// <summary>Queues a valid request when it may be served (unchoked, or an allowed fast piece) and there is room;
    /// false when the caller must refuse it.</summary>
    public bool TryAccept(RequestMessage request)
    {
        if ((!_unchoked && !_allowedFast.Contains(request.Index)) || !_queue.TryAdd(request))
        {
            return false;
        }

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
    /// object's bytes cannot be read.</summary>
    public async Task<DisconnectReason?> RunAsync()
    {
        var unchokedSent = false;
        while (!_life.IsCancellationRequested)
        {
            var woken = await _wake.WaitAsync(_context.Options.KeepAliveInterval, _life);
            var wantUnchoked = _wantUnchoked;
            if (wantUnchoked != unchokedSent)
            {
                unchokedSent = wantUnchoked;
                await ApplyChokeAsync(wantUnchoked);
            }

            if (!woken && _writer.SinceLastSend >= _context.Options.KeepAliveInterval)
            {
                await _writer.SendAsync(default(KeepAliveMessage));
            }

            while (TryTakeServable(out var request))
            {
                if (!await ServeAsync(request))
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
        if (_wantUnchoked && _unchoked)
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
            _unchoked = true;
            await _writer.SendAsync(default(UnchokeMessage));
            return;
        }

        _unchoked = false;
        await _writer.SendAsync(default(ChokeMessage));
        var dropped = _queue.RemoveWhere(r => !_allowedFast.Contains(r.Index));
        if (_peerFast && dropped.Count > 0)
        {
            await _writer.SendManyAsync(dropped.Select(r => new RejectRequestMessage(r.Index, r.Begin, r.Length)).ToList());
        }
    }

    /// <summary>Reads one block from the blob and sends it; false when the blob is shorter than its record says.</summary>
    private async Task<bool> ServeAsync(RequestMessage request)
    {
        var facts = _served.Torrent.Facts;
        var block = ArrayPool<byte>.Shared.Rent(request.Length);
        try
        {
            await _context.Throttle.TakeAsync(ObjectKey, request.Length, _life);
            var offset = (request.Index * facts.PieceLength) + request.Begin;

            // A v2-only torrent's last piece may be asked for whole: the bytes past the object are zeros.
            var available = (int)Math.Clamp(facts.Length - offset, 0, request.Length);
            block.AsSpan(available, request.Length - available).Clear();
            var filled = 0;
            while (filled < available)
            {
                var read = await RandomAccess.ReadAsync(_blob, block.AsMemory(filled, available - filled), offset + filled, _life);
                if (read == 0)
                {
                    return false;
                }

                filled += read;
            }

            await _writer.SendPieceAsync(request, block.AsMemory(0, request.Length), flush: _queue.Count == 0);
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
        if (_wake.CurrentCount == 0 && !_life.IsCancellationRequested)
        {
            _wake.Release();
        }
    }
}
