using System.Buffers;
using System.Text;
using Peerbucket.Protocols.Bencode;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Fuzz;

/// <summary>The BitTorrent side: bencode, .torrent files, the peer wire (framing and every message), the handshake,
/// tracker query strings and UDP tracker packets.</summary>
internal static class ProtocolTargets
{
    public static IEnumerable<FuzzTarget> All() =>
    [
        new("bencode", Bencode, [.. Utf8("d3:cow3:moo4:spam4:eggse", "l4:spam4:eggse", "i3e", "i-3e", "i0e", "4:spam", "0:", "d4:spaml1:a1:bee", "de", "le")]),
        new("torrent", Torrent, [MinimalTorrent()]),
        new("peer-wire", PeerWire, [Frames()]),
        new("handshake", HandshakeTarget, [HandshakeBytes()]),
        new("tracker-query", TrackerQuery, [.. Utf8(
            "info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A&peer_id=-TR2940-k8hj0wgej6ch&port=6881&uploaded=0&downloaded=0&left=100&event=started&compact=1",
            "info_hash=%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A&info_hash=aaaaaaaaaaaaaaaaaaaa")]),
        new("udp-tracker", UdpTracker, [UdpConnect(), UdpAnnounce()]),
    ];

    private static void Bencode(byte[] input)
    {
        if (BencodeReader.TryDecode(input, out var value, out var error, out var offset))
        {
            // Only canonical bencode is accepted, so what was read writes back byte for byte.
            if (!BencodeWriter.Encode(value).AsSpan().SequenceEqual(input))
            {
                throw new FuzzFinding("decoded bencode does not encode back to its input");
            }
        }
        else if (error == BencodeError.None || offset < 0 || offset > input.Length)
        {
            throw new FuzzFinding($"rejected with {error} at {offset} of {input.Length}");
        }
    }

    private static void Torrent(byte[] input)
    {
        try
        {
            var torrent = TorrentFile.Parse(input);
            _ = torrent.UrlList.Count;
        }
        catch (TorrentFileException)
        {
            // typed rejection
        }
    }

    private static void PeerWire(byte[] input)
    {
        var buffer = new ReadOnlySequence<byte>(input);
        var scratch = new byte[64];
        while (true)
        {
            var status = PeerMessageReader.TryRead(buffer, 64 * 1024, out var message, out var consumed, out _);
            if (status is PeerReadStatus.NeedMoreData or PeerReadStatus.Invalid)
            {
                return;
            }

            var rest = buffer.Slice(consumed);
            if (rest.Length >= buffer.Length)
            {
                throw new FuzzFinding("the reader consumed nothing yet reported a message");
            }

            if (status == PeerReadStatus.Message)
            {
                ParseMessage(message, buffer.Slice(0, consumed).ToArray(), scratch);
            }

            buffer = rest;
        }
    }

    /// <summary>Every message id's own parser on the payload (typed errors only); a fixed-layout message that parses
    /// writes back to its frame byte for byte.</summary>
    private static void ParseMessage(PeerMessage message, byte[] frame, byte[] scratch)
    {
        var payload = message.Payload.ToArray();
        _ = message.Id switch
        {
            PeerMessageId.Choke => ChokeMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Unchoke => UnchokeMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Interested => InterestedMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.NotInterested => NotInterestedMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Have => HaveMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Bitfield => BitfieldMessage.TryParse(payload, 1 + (payload.Length * 8), out _, out _),
            PeerMessageId.Request => RequestMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Piece => PieceMessageHeader.TryParse(payload, out _, out _),
            PeerMessageId.Cancel => CancelMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Port => PortMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.SuggestPiece => SuggestPieceMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.HaveAll => HaveAllMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.HaveNone => HaveNoneMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.RejectRequest => RejectRequestMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.AllowedFast => AllowedFastMessage.TryParse(payload, out var m, out _) && RoundTrip(m, frame),
            PeerMessageId.Extended => Extended(payload),
            PeerMessageId.HashRequest => HashRequestMessage.TryParse(payload, out _, out _),
            PeerMessageId.Hashes => HashesMessage.TryParse(payload, out _, out _),
            PeerMessageId.HashReject => HashRejectMessage.TryParse(payload, out _, out _),
            _ => message.GetPayloadSpan(scratch).Length >= 0,
        };
    }

    private static bool RoundTrip<T>(T message, byte[] frame)
        where T : IPeerMessage
    {
        var written = new byte[message.GetByteCount()];
        message.Write(written);
        return written.AsSpan().SequenceEqual(frame) ? true : throw new FuzzFinding($"{typeof(T).Name} does not write back to its frame");
    }

    private static bool Extended(byte[] payload)
    {
        if (!ExtendedMessage.TryParse(payload, out var extended, out _))
        {
            return false;
        }

        return extended.ExtendedId == ExtendedMessage.HandshakeId
            ? ExtendedHandshake.TryParse(extended.Payload, out _, out _)
            : UtMetadataMessage.TryParse(extended.Payload, out _, out _);
    }

    private static void HandshakeTarget(byte[] input)
    {
        var status = Handshake.TryParse(input, out var handshake, out _);
        if (status == HandshakeStatus.Done)
        {
            var written = new byte[Handshake.ByteCount];
            new Handshake(handshake!.Reserved.Span, handshake.InfoHash.Span, handshake.PeerId.Span).Write(written);
            if (!written.AsSpan().SequenceEqual(input.AsSpan(0, Handshake.ByteCount)))
            {
                throw new FuzzFinding("a parsed handshake does not write back to its bytes");
            }
        }
    }

    private static void TrackerQuery(byte[] input)
    {
        var query = Encoding.Latin1.GetString(input);
        _ = AnnounceQueryParser.TryParse(query, out _, out _);
        _ = ScrapeQueryParser.TryParse(query, out _, out _);
    }

    private static void UdpTracker(byte[] input) => _ = UdpTrackerPacket.TryParse(input, out _, out _);

    private static IEnumerable<byte[]> Utf8(params string[] texts) => texts.Select(Encoding.UTF8.GetBytes);

    private static byte[] MinimalTorrent() => Encoding.Latin1.GetBytes(
        "d8:announce31:http://127.0.0.1:6969/announce4:infod6:lengthi16384e4:name5:a.bin12:piece lengthi16384e6:pieces20:"
        + new string('\u00ab', 20) + "ee");

    private static byte[] Frames() =>
    [
        0, 0, 0, 0, // keep-alive
        .. Frame(2, []), // interested
        .. Frame(4, [0, 0, 0, 7]), // have 7
        .. Frame(6, [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x40, 0]), // request piece 1, offset 0, 16 KiB
        .. Frame(9, [0x1A, 0xE1]), // port 6881
        .. Frame(0x0E, []), // have all
        .. Frame(20, [0, .. "d1:md11:ut_metadatai1eee"u8]), // BEP 10 handshake
        .. Frame(20, [1, .. "d8:msg_typei0e5:piecei0ee"u8]), // BEP 9 request
    ];

    private static byte[] Frame(byte id, byte[] payload) =>
        [(byte)((payload.Length + 1) >> 24), (byte)((payload.Length + 1) >> 16), (byte)((payload.Length + 1) >> 8), (byte)(payload.Length + 1), id, .. payload];

    private static byte[] HandshakeBytes() =>
    [
        19, .. "BitTorrent protocol"u8, 0, 0, 0, 0, 0, 0x10, 0, 0x05, .. Enumerable.Repeat((byte)0xAB, 20), .. "-PB0001-000000000001"u8,
    ];

    private static byte[] UdpConnect() => [0, 0, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 0, 0, 0, 1];

    private static byte[] UdpAnnounce()
    {
        var packet = new byte[98];
        packet[11] = 1; // action announce
        packet[15] = 9; // transaction id
        packet.AsSpan(16, 20).Fill(0xAB);
        packet.AsSpan(36, 20).Fill((byte)'p');
        packet[96] = 0x1A;
        packet[97] = 0xE1;
        return packet;
    }
}
