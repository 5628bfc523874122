using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Tracker;

/// <summary>
/// Bencoded HTTP tracker replies in canonical key order: announce (BEP 3, compact BEP 23 + BEP 7), failure, and
/// scrape (BEP 48).
/// </summary>
public static class TrackerReplyWriter
{
    /// <summary>Bytes per compact IPv4 peer: address then port, big-endian.</summary>
    public const int CompactIPv4Size = 6;

    /// <summary>Bytes per compact IPv6 peer: address then port, big-endian.</summary>
    public const int CompactIPv6Size = 18;

    /// <summary>
    /// Writes an announce reply. Compact: IPv4 peers (and IPv4-mapped IPv6) go into <c>peers</c> at 6 bytes each,
    /// IPv6 peers into <c>peers6</c> at 18 bytes each (<c>peers6</c> only when there is one). Non-compact:
    /// <c>peers</c> is a list of <c>{ip, peer id, port}</c> (no <c>peer id</c> with <paramref name="noPeerId"/> or
    /// when the endpoint has none).
    /// </summary>
    public static void Announce(
        IBufferWriter<byte> output,
        int interval,
        int minInterval,
        int complete,
        int incomplete,
        IReadOnlyList<PeerEndpoint> peers,
        bool compact,
        bool noPeerId)
    {
        var writer = new BencodeWriter(output);
        writer.WriteDictionaryStart();
        writer.WriteString("complete"u8);
        writer.WriteInteger(complete);
        writer.WriteString("incomplete"u8);
        writer.WriteInteger(incomplete);
        writer.WriteString("interval"u8);
        writer.WriteInteger(interval);
        writer.WriteString("min interval"u8);
        writer.WriteInteger(minInterval);
        writer.WriteString("peers"u8);
        if (compact)
        {
            writer.WriteString(CompactPeers(peers, AddressFamily.InterNetwork));
            var v6 = CompactPeers(peers, AddressFamily.InterNetworkV6);
            if (v6.Length > 0)
            {
                writer.WriteString("peers6"u8);
                writer.WriteString(v6);
            }
        }
        else
        {
            writer.WriteListStart();
            foreach (var peer in peers)
            {
                writer.WriteDictionaryStart();
                writer.WriteString("ip"u8);
                writer.WriteString(peer.Normalized.ToString());
                if (!noPeerId && !peer.PeerId.IsEmpty)
                {
                    writer.WriteString("peer id"u8);
                    writer.WriteString(peer.PeerId.Span);
                }

                writer.WriteString("port"u8);
                writer.WriteInteger(peer.Port);
                writer.WriteEnd();
            }

            writer.WriteEnd();
        }

        writer.WriteEnd();
    }

    /// <summary>Writes <c>d14:failure reason&lt;n&gt;:&lt;reason&gt;e</c>.</summary>
    public static void Failure(IBufferWriter<byte> output, string reason)
    {
        var writer = new BencodeWriter(output);
        writer.WriteDictionaryStart();
        writer.WriteString("failure reason"u8);
        writer.WriteString(reason);
        writer.WriteEnd();
    }

    /// <summary>Writes the failure reply for a typed failure.</summary>
    public static void Failure(IBufferWriter<byte> output, TrackerFailure failure) => Failure(output, failure.Message());

    /// <summary>
    /// Writes <c>d5:filesd&lt;hash&gt;d8:completei..e10:downloadedi..e10:incompletei..eeee</c>; files are sorted by
    /// raw hash bytes. Duplicate hashes throw <see cref="ArgumentException"/>.
    /// </summary>
    public static void Scrape(IBufferWriter<byte> output, IEnumerable<ScrapeFile> files)
    {
        var sorted = files.ToArray();
        Array.Sort(sorted, static (a, b) => a.InfoHash.Span.SequenceCompareTo(b.InfoHash.Span));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].InfoHash.Span.SequenceEqual(sorted[i].InfoHash.Span))
            {
                throw new ArgumentException("Duplicate info-hash in scrape reply.", nameof(files));
            }
        }

        var writer = new BencodeWriter(output);
        writer.WriteDictionaryStart();
        writer.WriteString("files"u8);
        writer.WriteDictionaryStart();
        foreach (var file in sorted)
        {
            writer.WriteString(file.InfoHash.Span);
            writer.WriteDictionaryStart();
            writer.WriteString("complete"u8);
            writer.WriteInteger(file.Complete);
            writer.WriteString("downloaded"u8);
            writer.WriteInteger(file.Downloaded);
            writer.WriteString("incomplete"u8);
            writer.WriteInteger(file.Incomplete);
            writer.WriteEnd();
        }

        writer.WriteEnd();
        writer.WriteEnd();
    }

    /// <summary>
    /// Writes one compact peer (6 bytes for IPv4, 18 for IPv6) and returns the bytes written, or 0 when
    /// <paramref name="destination"/> is too small.
    /// </summary>
    public static int WriteCompactPeer(PeerEndpoint peer, Span<byte> destination)
    {
        var address = peer.Normalized;
        var size = address.AddressFamily == AddressFamily.InterNetwork ? CompactIPv4Size : CompactIPv6Size;
        if (destination.Length < size || !address.TryWriteBytes(destination, out var written))
        {
            return 0;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[written..], peer.Port);
        return size;
    }

    /// <summary>The compact encoding of the peers of one address family, in order.</summary>
    public static byte[] CompactPeers(IReadOnlyList<PeerEndpoint> peers, AddressFamily family)
    {
        var size = family == AddressFamily.InterNetwork ? CompactIPv4Size : CompactIPv6Size;
        var count = 0;
        foreach (var peer in peers)
        {
            if (peer.Normalized.AddressFamily == family)
            {
                count++;
            }
        }

        var result = new byte[count * size];
        var offset = 0;
        foreach (var peer in peers)
        {
            if (peer.Normalized.AddressFamily == family)
            {
                offset += WriteCompactPeer(peer, result.AsSpan(offset));
            }
        }

        return result;
    }
}
