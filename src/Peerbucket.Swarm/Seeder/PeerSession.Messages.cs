using System.Buffers;
using System.IO.Pipelines;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;

namespace Peerbucket.Swarm.Seeder;

/// <summary>The reading side of <see cref="PeerSession"/>: framing, and what a seed answers to each message.</summary>
internal sealed partial class PeerSession
{
    /// <summary>Our id for ut_metadata in the <c>m</c> dictionary we send (peers address us with it).</summary>
    private const byte OurUtMetadataId = 1;

    private bool _peerInterested;
    private bool _peerIsSeed;
    private byte _peerUtMetadataId;
    private volatile bool _peerUnchoked;
    private int _refusedInARow;

    /// <summary>Pieces this peer may fetch while choked (BEP 6); set once in the greeting, read-only after.</summary>
    private HashSet<int> _allowedFast = [];

    private bool PeerFast { get; set; }

    private bool PeerExtensions { get; set; }

    private string ObjectKey { get; set; } = "";

    /// <summary>Whether an unchoke went out (requests are served) — false again once a choke went out.</summary>
    private bool PeerUnchoked
    {
        get => _peerUnchoked;
        set => _peerUnchoked = value;
    }

    private async Task<DisconnectReason> ReadLoopAsync(PipeReader reader)
    {
        var pieceCount = _served!.Torrent.Facts.PieceCount;
        var maxLength = Math.Max(BitfieldMessage.ByteLength(pieceCount) + 1, 64 * 1024);
        while (true)
        {
            _readTimeout.CancelAfter(_context.Options.IdleTimeout);
            var result = await reader.ReadAsync(_readTimeout.Token);
            var buffer = result.Buffer;
            DisconnectReason? outcome = null;
            while (outcome is null)
            {
                var status = PeerMessageReader.TryRead(buffer, maxLength, out var message, out var consumed, out _);
                if (status == PeerReadStatus.NeedMoreData)
                {
                    break;
                }

                if (status == PeerReadStatus.Invalid)
                {
                    outcome = DisconnectReason.MalformedMessage;
                    break;
                }

                if (status == PeerReadStatus.Message)
                {
                    outcome = await HandleAsync(message);
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

    private async Task<DisconnectReason?> HandleAsync(PeerMessage message)
    {
        Span<byte> scratch = stackalloc byte[64];
        var fixedPayload = message.Payload.Length <= scratch.Length ? message.GetPayloadSpan(scratch) : default;
        switch (message.Id)
        {
            case PeerMessageId.Interested:
                _peerInterested = true;
                _context.Choker.Interested(this);
                return null;
            case PeerMessageId.NotInterested:
                _peerInterested = false;
                _context.Choker.NotInterested(this);
                return _peerIsSeed ? DisconnectReason.PeerIsSeed : null;
            case PeerMessageId.Bitfield:
                // BEP 3 allows it only first; aria2 sends one later too, so take it whenever it comes.
                return OnBitfield(message.Payload.ToArray());
            case PeerMessageId.HaveAll:
                _peerIsSeed = true;
                return _peerInterested ? null : DisconnectReason.PeerIsSeed;
            case PeerMessageId.Request:
                if (!RequestMessage.TryParse(fixedPayload, out var request, out var error))
                {
                    return error == PeerWireError.RequestTooLong ? DisconnectReason.RequestTooLong : DisconnectReason.MalformedMessage;
                }

                return await OnRequestAsync(request);
            case PeerMessageId.Cancel:
                if (!CancelMessage.TryParse(fixedPayload, out var cancel, out _))
                {
                    return DisconnectReason.MalformedMessage;
                }

                var canceled = new RequestMessage(cancel.Index, cancel.Begin, cancel.Length);
                if (_queue.Remove(canceled) && PeerFast)
                {
                    await _writer!.SendAsync(new RejectRequestMessage(cancel.Index, cancel.Begin, cancel.Length));
                }

                return null;
            case PeerMessageId.Extended:
                return await OnExtendedAsync(message.Payload.ToArray());
            case PeerMessageId.HashRequest:
                if (!HashRequestMessage.TryParse(fixedPayload, out var hashRequest, out _))
                {
                    return DisconnectReason.MalformedMessage;
                }

                await OnHashRequestAsync(hashRequest);
                return null;
            default:
                // choke, unchoke, have, have none, piece, port, suggest, reject, allowed fast, hashes: nothing a seed needs.
                return null;
        }
    }

    private DisconnectReason? OnBitfield(byte[] payload)
    {
        var pieceCount = _served!.Torrent.Facts.PieceCount;
        if (!BitfieldMessage.TryParse(payload, pieceCount, out var bitfield, out _))
        {
            return DisconnectReason.MalformedMessage;
        }

        for (var i = 0; i < pieceCount; i++)
        {
            if (!bitfield.HasPiece(i))
            {
                return null;
            }
        }

        _peerIsSeed = true;
        return _peerInterested ? null : DisconnectReason.PeerIsSeed;
    }

    private async Task<DisconnectReason?> OnRequestAsync(RequestMessage request)
    {
        var facts = _served!.Torrent.Facts;
        _closeDetail = request.ToString();
        if (request.Index >= facts.PieceCount)
        {
            return DisconnectReason.RequestOutOfRange;
        }

        // libtorrent treats a v2-only torrent's last piece as whole (implicit tail padding) and asks for the full
        // block; the bytes past the object are served as zeros. v1 and hybrid pieces end with the object.
        var pieceStart = request.Index * facts.PieceLength;
        var pieceSize = _served.Torrent.Format == TorrentFormat.V2 ? facts.PieceLength : Math.Min(facts.PieceLength, facts.Length - pieceStart);
        if ((long)request.Begin + request.Length > pieceSize)
        {
            return DisconnectReason.RequestOutOfRange;
        }

        _closeDetail = null;
        if ((PeerUnchoked || _allowedFast.Contains(request.Index)) && _queue.TryAdd(request))
        {
            _refusedInARow = 0;
            Wake();
            return null;
        }

        // A client racing a choke has at most its pipeline (reqq) in flight; far more than that is a flood.
        if (++_refusedInARow > 2 * _context.Options.MaxOutstandingRequestsPerPeer)
        {
            _closeDetail = $"{_refusedInARow} requests refused in a row";
            return DisconnectReason.RequestFlood;
        }

        if (PeerFast)
        {
            // Choked (or over reqq): BEP 6 wants a reject for every request not served; without fast, dropped.
            await _writer!.SendAsync(new RejectRequestMessage(request.Index, request.Begin, request.Length));
        }

        return null;
    }

    private async Task<DisconnectReason?> OnExtendedAsync(byte[] payload)
    {
        if (!ExtendedMessage.TryParse(payload, out var extended, out _))
        {
            return DisconnectReason.MalformedMessage;
        }

        if (extended.ExtendedId == ExtendedMessage.HandshakeId)
        {
            if (!ExtendedHandshake.TryParse(extended.Payload, out var handshake, out _))
            {
                return DisconnectReason.MalformedMessage;
            }

            _peerUtMetadataId = handshake.Messages.GetValueOrDefault(UtMetadataMessage.ExtensionName);
            return null;
        }

        if (extended.ExtendedId != OurUtMetadataId)
        {
            return null;
        }

        if (!UtMetadataMessage.TryParse(extended.Payload, out var metadata, out _))
        {
            return DisconnectReason.MalformedMessage;
        }

        if (metadata.MessageType != UtMetadataMessageType.Request || _peerUtMetadataId == 0)
        {
            return null;
        }

        var info = _served!.Torrent.Info;
        var reply = metadata.Piece < UtMetadataMessage.PieceCount(info.Length)
            ? UtMetadataMessage.DataFor(info, metadata.Piece)
            : UtMetadataMessage.Reject(metadata.Piece);
        await _writer!.SendAsync(reply.ToExtendedMessage(_peerUtMetadataId));
        return null;
    }

    private async Task OnHashRequestAsync(HashRequestMessage request)
    {
        var torrent = _served!.Torrent;
        var facts = torrent.Facts;
        byte[] hashes = [];
        var ok = torrent.Hashes.HasV2
            && request.PiecesRoot.Span.SequenceEqual(facts.PiecesRoot.Span)
            && MerkleProof.TryGetHashes(facts.PieceLayer.Span, facts.PieceLength, request, out hashes, out _);
        if (ok)
        {
            await _writer!.SendAsync(new HashesMessage(request, hashes));
        }
        else
        {
            await _writer!.SendAsync(new HashRejectMessage(request));
        }
    }
}
