using System.Buffers;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Seeder;

/// <summary>
/// What a seed answers to each message a peer sends after the handshake: interest (to the choker), bitfield and
/// have-all (a seed talking to a seed ends), requests (checked, then queued or refused), cancels, the BEP 10 handshake
/// and BEP 9 metadata requests, BEP 52 hash requests. Returns a <see cref="Disconnect"/> when the message ends the
/// connection (with the parser's typed error when it rejected the payload); everything a seed has no use for is ignored,
/// as the BEPs allow.
/// </summary>
internal sealed class SeedConversation(PeerSession session, SeederContext context, ServedTorrent served, PeerWriter writer, BlockUploader uploader,
    bool peerFast, SwarmMembership membership)
{
    /// <summary>Our id for ut_metadata in the <c>m</c> dictionary we send (peers address us with it).</summary>
    public const byte OurUtMetadataId = 1;

    private bool _peerInterested;
    private bool _peerIsSeed;
    private byte _peerUtMetadataId;
    private int _refusedInARow;
    private int _refusedSinceChokeChange = -1;
    private long _lastRequest;

    /// <summary>When the peer last asked for a block (served or not), as a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp; 0 before its first request.</summary>
    public long LastRequest => Volatile.Read(ref _lastRequest);

    /// <summary>The peer said it is interested and did not take it back.</summary>
    public bool PeerInterested => Volatile.Read(ref _peerInterested);

    /// <summary>The peer has every piece (a seed has nothing to give it).</summary>
    public bool PeerIsSeed => Volatile.Read(ref _peerIsSeed);

    /// <summary>What the last offending message was, for the close log.</summary>
    public string? Detail { get; private set; }

    /// <summary>The largest frame this torrent's messages need (a full bitfield, or 64 KiB).</summary>
    public int MaxMessageLength => Math.Max(BitfieldMessage.ByteLength(served.Torrent.Facts.PieceCount) + 1, 64 * 1024);

    public async Task<Disconnect?> HandleAsync(PeerMessage message)
    {
        Span<byte> scratch = stackalloc byte[64];
        var fixedPayload = message.Payload.Length <= scratch.Length ? message.GetPayloadSpan(scratch) : default;
        switch (message.Id)
        {
            case PeerMessageId.Interested:
                _peerInterested = true;
                context.Choker.Interested(session);
                return null;
            case PeerMessageId.NotInterested:
                _peerInterested = false;
                context.Choker.NotInterested(session);
                return _peerIsSeed ? DisconnectReason.PeerIsSeed : null;
            case PeerMessageId.Bitfield:
                // BEP 3 allows it only first; aria2 sends one later too, so take it whenever it comes.
                return OnBitfield(message.Payload.ToArray());
            case PeerMessageId.Have:
                // What peers have is what the origin need not send again (super-seeding and the web seed ask).
                if (HaveMessage.TryParse(fixedPayload, out var have, out _))
                {
                    membership.PeerHas(have.PieceIndex);
                    if (membership.SuperSeeding)
                    {
                        uploader.Wake(); // its next offer may be due
                    }
                }

                return null;
            case PeerMessageId.HaveAll:
                membership.PeerHasAll();
                _peerIsSeed = true;
                return _peerInterested ? null : DisconnectReason.PeerIsSeed;
            case PeerMessageId.Request:
                if (!RequestMessage.TryParse(fixedPayload, out var request, out var requestError))
                {
                    return Disconnect.Rejected(requestError);
                }

                return await OnRequestAsync(request);
            case PeerMessageId.Cancel:
                if (!CancelMessage.TryParse(fixedPayload, out var cancel, out var cancelError))
                {
                    return Disconnect.Rejected(cancelError);
                }

                await uploader.CancelAsync(new RequestMessage(cancel.Index, cancel.Begin, cancel.Length));
                return null;
            case PeerMessageId.Extended:
                return await OnExtendedAsync(message.Payload.ToArray());
            case PeerMessageId.HashRequest:
                if (!HashRequestMessage.TryParse(fixedPayload, out var hashRequest, out var hashRequestError))
                {
                    return Disconnect.Rejected(hashRequestError);
                }

                await OnHashRequestAsync(hashRequest);
                return null;
            default:
                // choke, unchoke, have none, piece, port, suggest, reject, allowed fast, hashes: nothing a seed needs.
                return null;
        }
    }

    private Disconnect? OnBitfield(byte[] payload)
    {
        var pieceCount = served.Torrent.Facts.PieceCount;
        if (!BitfieldMessage.TryParse(payload, pieceCount, out var bitfield, out var error))
        {
            return Disconnect.Rejected(error);
        }

        membership.PeerHas(bitfield);
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

    private async Task<Disconnect?> OnRequestAsync(RequestMessage request)
    {
        var facts = served.Torrent.Facts;
        Detail = request.ToString();
        if (request.Index >= facts.PieceCount)
        {
            return DisconnectReason.RequestOutOfRange;
        }

        // libtorrent treats a v2-only torrent's last piece as whole (implicit tail padding) and asks for the full
        // block; the bytes past the object are served as zeros. v1 and hybrid pieces end with the object.
        var pieceStart = request.Index * facts.PieceLength;
        var pieceSize = served.Torrent.Format == TorrentFormat.V2 ? facts.PieceLength : Math.Min(facts.PieceLength, facts.Length - pieceStart);
        if ((long)request.Begin + request.Length > pieceSize)
        {
            return DisconnectReason.RequestOutOfRange;
        }

        Detail = null;
        Volatile.Write(ref _lastRequest, System.Diagnostics.Stopwatch.GetTimestamp());
        membership.Requested();
        var mayRequest = membership.MayRequest(request.Index);
        if (mayRequest && uploader.TryAccept(request))
        {
            _refusedInARow = 0;
            return null;
        }

        // Refusals are counted from the last choke or unchoke: a client racing one has at most its pipeline (reqq) in
        // flight; far more than that is a flood. The thrifty origin's "not this piece" to an unchoked peer is ours to
        // say, not the peer's fault: the peer is held back (choked) instead.
        if (uploader.ChokeChanges != _refusedSinceChokeChange)
        {
            _refusedSinceChokeChange = uploader.ChokeChanges;
            _refusedInARow = 0;
        }

        if (!mayRequest && uploader.Unchoked && !membership.SuperSeeding)
        {
            uploader.HoldBack();
        }
        else if (++_refusedInARow > 2 * context.Options.MaxRequestsPerPeer)
        {
            Detail = $"{_refusedInARow} requests refused in a row";
            return DisconnectReason.RequestFlood;
        }

        if (peerFast)
        {
            // Choked (or over reqq): BEP 6 wants a reject for every request not served; without fast, dropped.
            await writer.SendAsync(new RejectRequestMessage(request.Index, request.Begin, request.Length));
        }

        return null;
    }

    private async Task<Disconnect?> OnExtendedAsync(byte[] payload)
    {
        if (!ExtendedMessage.TryParse(payload, out var extended, out var error))
        {
            return Disconnect.Rejected(error);
        }

        if (extended.ExtendedId == ExtendedMessage.HandshakeId)
        {
            if (!ExtendedHandshake.TryParse(extended.Payload, out var handshake, out error))
            {
                return Disconnect.Rejected(error);
            }

            _peerUtMetadataId = handshake.Messages.GetValueOrDefault(UtMetadataMessage.ExtensionName);
            return null;
        }

        if (extended.ExtendedId != OurUtMetadataId)
        {
            return null;
        }

        if (!UtMetadataMessage.TryParse(extended.Payload, out var metadata, out error))
        {
            return Disconnect.Rejected(error);
        }

        if (metadata.MessageType != UtMetadataMessageType.Request || _peerUtMetadataId == 0)
        {
            return null;
        }

        var info = served.Torrent.Info;
        var reply = metadata.Piece < UtMetadataMessage.PieceCount(info.Length)
            ? UtMetadataMessage.DataFor(info, metadata.Piece)
            : UtMetadataMessage.Reject(metadata.Piece);
        await writer.SendAsync(reply.ToExtendedMessage(_peerUtMetadataId));
        return null;
    }

    private async Task OnHashRequestAsync(HashRequestMessage request)
    {
        var torrent = served.Torrent;
        var facts = torrent.Facts;
        byte[] hashes = [];
        var ok = torrent.Hashes.HasV2
            && request.PiecesRoot.Span.SequenceEqual(facts.PiecesRoot.Span)
            && MerkleProof.TryGetHashes(facts.PieceLayer.Span, facts.PieceLength, request, out hashes, out _);
        if (ok)
        {
            await writer.SendAsync(new HashesMessage(request, hashes));
        }
        else
        {
            await writer.SendAsync(new HashRejectMessage(request));
        }
    }
}
