using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Text;

namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// BEP 15 UDP tracker packets: parses requests and writes responses, all big-endian. Connection ids are the
/// caller's 8 bytes, carried as is (the service derives and checks them).
/// </summary>
public static class UdpTrackerPacket
{
    /// <summary>The connect request's magic protocol id.</summary>
    public const ulong ProtocolId = 0x41727101980;

    public const int ConnectRequestSize = 16;
    public const int ConnectResponseSize = 16;
    public const int AnnounceRequestSize = 98;
    public const int AnnounceResponseHeaderSize = 20;
    public const int ScrapeRequestHeaderSize = 16;
    public const int ScrapeResponseHeaderSize = 8;
    public const int ScrapeEntrySize = 12;
    public const int ErrorHeaderSize = 8;

    /// <summary>Most info-hashes in one scrape request.</summary>
    public const int MaxScrapeHashes = 74;

    /// <summary>Longest error message written (bytes of UTF-8), so an error packet stays small.</summary>
    public const int MaxErrorMessageLength = 256;

    /// <summary>Parses one request datagram. Never throws; any malformed packet is a typed failure.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, [NotNullWhen(true)] out UdpTrackerRequest? request, out TrackerFailure failure)
    {
        request = null;
        if (packet.Length < 16)
        {
            failure = TrackerFailure.WrongSize;
            return false;
        }

        var connectionId = BinaryPrimitives.ReadUInt64BigEndian(packet);
        var action = BinaryPrimitives.ReadInt32BigEndian(packet[8..]);
        var transactionId = BinaryPrimitives.ReadInt32BigEndian(packet[12..]);
        switch (action)
        {
            case (int)UdpTrackerAction.Connect:
                if (connectionId != ProtocolId)
                {
                    failure = TrackerFailure.BadProtocolId;
                    return false;
                }

                // Some clients pad datagrams; only the first 16 bytes carry meaning.
                request = new UdpConnectRequest(transactionId);
                break;
            case (int)UdpTrackerAction.Announce:
                if (packet.Length < AnnounceRequestSize)
                {
                    failure = TrackerFailure.WrongSize;
                    return false;
                }

                request = ParseAnnounce(packet, connectionId, transactionId);
                break;
            case (int)UdpTrackerAction.Scrape:
                var count = (packet.Length - ScrapeRequestHeaderSize) / 20;
                if ((packet.Length - ScrapeRequestHeaderSize) % 20 != 0 || count == 0)
                {
                    failure = TrackerFailure.WrongSize;
                    return false;
                }

                if (count > MaxScrapeHashes)
                {
                    failure = TrackerFailure.TooManyInfoHashes;
                    return false;
                }

                var hashes = new byte[count][];
                for (var i = 0; i < count; i++)
                {
                    hashes[i] = packet.Slice(ScrapeRequestHeaderSize + (20 * i), 20).ToArray();
                }

                request = new UdpScrapeRequest(connectionId, transactionId, hashes);
                break;
            default:
                failure = TrackerFailure.UnknownAction;
                return false;
        }

        failure = TrackerFailure.None;
        return true;
    }

    /// <summary>The transaction id of any packet of at least 16 bytes (to answer a failed parse with an error).</summary>
    public static bool TryGetTransactionId(ReadOnlySpan<byte> packet, out int transactionId)
    {
        transactionId = packet.Length >= 16 ? BinaryPrimitives.ReadInt32BigEndian(packet[12..]) : 0;
        return packet.Length >= 16;
    }

    /// <summary>Writes a connect response (16 bytes) and returns its size.</summary>
    public static int WriteConnectResponse(Span<byte> destination, int transactionId, ulong connectionId)
    {
        WriteHeader(destination, UdpTrackerAction.Connect, transactionId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], connectionId);
        return ConnectResponseSize;
    }

    /// <summary>
    /// Writes an announce response: 20-byte header then peers of <paramref name="family"/> only (the family the
    /// request came in on), 6 bytes per IPv4 peer or 18 per IPv6 peer. Returns the bytes written.
    /// </summary>
    public static int WriteAnnounceResponse(
        IBufferWriter<byte> output,
        int transactionId,
        int interval,
        int leechers,
        int seeders,
        IReadOnlyList<PeerEndpoint> peers,
        AddressFamily family)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "IPv4 or IPv6.");
        }

        var compact = TrackerReplyWriter.CompactPeers(peers, family);
        var span = output.GetSpan(AnnounceResponseHeaderSize);
        WriteHeader(span, UdpTrackerAction.Announce, transactionId);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], interval);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], leechers);
        BinaryPrimitives.WriteInt32BigEndian(span[16..], seeders);
        output.Advance(AnnounceResponseHeaderSize);
        output.Write(compact);
        return AnnounceResponseHeaderSize + compact.Length;
    }

    /// <summary>Writes a scrape response: 8-byte header then 12 bytes (seeders, completed, leechers) per file, in order.</summary>
    public static int WriteScrapeResponse(IBufferWriter<byte> output, int transactionId, IReadOnlyList<ScrapeFile> files)
    {
        var size = ScrapeResponseHeaderSize + (ScrapeEntrySize * files.Count);
        var span = output.GetSpan(size);
        WriteHeader(span, UdpTrackerAction.Scrape, transactionId);
        for (var i = 0; i < files.Count; i++)
        {
            var entry = span.Slice(ScrapeResponseHeaderSize + (ScrapeEntrySize * i), ScrapeEntrySize);
            BinaryPrimitives.WriteInt32BigEndian(entry, files[i].Complete);
            BinaryPrimitives.WriteInt32BigEndian(entry[4..], files[i].Downloaded);
            BinaryPrimitives.WriteInt32BigEndian(entry[8..], files[i].Incomplete);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes an error response (action 3, transaction id, UTF-8 message cut to <see cref="MaxErrorMessageLength"/>
    /// bytes and so that the whole reply is at most <paramref name="maxReplySize"/> bytes, never inside a UTF-8 sequence).
    /// Pass the request's size: a spoofed sender must not get back more than it sent (amplification). Below
    /// <see cref="ErrorHeaderSize"/> nothing is written and 0 returned.</summary>
    public static int WriteErrorResponse(IBufferWriter<byte> output, int transactionId, string message, int maxReplySize = ErrorHeaderSize + MaxErrorMessageLength)
    {
        if (maxReplySize < ErrorHeaderSize)
        {
            return 0;
        }

        var span = output.GetSpan(ErrorHeaderSize + MaxErrorMessageLength);
        WriteHeader(span, UdpTrackerAction.Error, transactionId);
        var bytes = Encoding.UTF8.GetBytes(message);
        var length = Math.Min(bytes.Length, Math.Min(MaxErrorMessageLength, maxReplySize - ErrorHeaderSize));
        while (length < bytes.Length && length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--; // do not cut a UTF-8 sequence in half
        }

        bytes.AsSpan(0, length).CopyTo(span[ErrorHeaderSize..]);
        output.Advance(ErrorHeaderSize + length);
        return ErrorHeaderSize + length;
    }

    /// <summary>Writes the error response for a typed failure.</summary>
    public static int WriteErrorResponse(IBufferWriter<byte> output, int transactionId, TrackerFailure failure, int maxReplySize = ErrorHeaderSize + MaxErrorMessageLength)
        => WriteErrorResponse(output, transactionId, failure.Message(), maxReplySize);

    private static UdpAnnounceRequest ParseAnnounce(ReadOnlySpan<byte> packet, ulong connectionId, int transactionId)
    {
        var eventCode = BinaryPrimitives.ReadInt32BigEndian(packet[80..]);
        return new UdpAnnounceRequest(
            connectionId,
            transactionId,
            InfoHash: packet.Slice(16, 20).ToArray(),
            PeerId: packet.Slice(36, 20).ToArray(),
            Downloaded: BinaryPrimitives.ReadInt64BigEndian(packet[56..]),
            Left: BinaryPrimitives.ReadInt64BigEndian(packet[64..]),
            Uploaded: BinaryPrimitives.ReadInt64BigEndian(packet[72..]),
            Event: eventCode is >= 0 and <= 3 ? (AnnounceEvent)eventCode : AnnounceEvent.None,
            Ip: BinaryPrimitives.ReadUInt32BigEndian(packet[84..]),
            Key: BinaryPrimitives.ReadUInt32BigEndian(packet[88..]),
            NumWant: BinaryPrimitives.ReadInt32BigEndian(packet[92..]),
            Port: BinaryPrimitives.ReadUInt16BigEndian(packet[96..]));
    }

    private static void WriteHeader(Span<byte> destination, UdpTrackerAction action, int transactionId)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, (int)action);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], transactionId);
    }
}
