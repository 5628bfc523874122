using System.Buffers;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// The BEP 3 handshake: <c>\x13BitTorrent protocol</c>, 8 reserved bytes, 20-byte info-hash, 20-byte peer id
/// (68 bytes). Reserved bits: fast (BEP 6) <c>reserved[7] &amp; 0x04</c>, extension protocol (BEP 10)
/// <c>reserved[5] &amp; 0x10</c>, v2 upgrade (BEP 52) <c>reserved[7] &amp; 0x10</c>, DHT (BEP 5) <c>reserved[7] &amp; 0x01</c>.
/// </summary>
public sealed record Handshake
{
    public const int ByteCount = 68;

    public Handshake(ReadOnlySpan<byte> reserved, ReadOnlySpan<byte> infoHash, ReadOnlySpan<byte> peerId)
    {
        if (reserved.Length != 8 || infoHash.Length != 20 || peerId.Length != 20)
        {
            throw new ArgumentException("Reserved is 8 bytes, info-hash and peer id 20 bytes each.");
        }

        Reserved = reserved.ToArray();
        InfoHash = infoHash.ToArray();
        PeerId = peerId.ToArray();
    }

    /// <summary>The protocol string with its length byte: <c>\x13BitTorrent protocol</c>.</summary>
    public static ReadOnlySpan<byte> Protocol => "\u0013BitTorrent protocol"u8;

    public ReadOnlyMemory<byte> Reserved { get; }

    public ReadOnlyMemory<byte> InfoHash { get; }

    public ReadOnlyMemory<byte> PeerId { get; }

    /// <summary>BEP 6 fast extension.</summary>
    public bool SupportsFast => (Reserved.Span[7] & 0x04) != 0;

    /// <summary>BEP 10 extension protocol.</summary>
    public bool SupportsExtensionProtocol => (Reserved.Span[5] & 0x10) != 0;

    /// <summary>BEP 52: the sender of a hybrid torrent's v1 hash also speaks v2 (may upgrade).</summary>
    public bool SupportsV2Upgrade => (Reserved.Span[7] & 0x10) != 0;

    /// <summary>BEP 5 DHT.</summary>
    public bool SupportsDht => (Reserved.Span[7] & 0x01) != 0;

    /// <summary>Reserved bytes with the chosen bits set.</summary>
    public static byte[] CreateReserved(bool fast, bool extensionProtocol, bool v2Upgrade = false, bool dht = false)
    {
        var reserved = new byte[8];
        reserved[5] = extensionProtocol ? (byte)0x10 : (byte)0;
        reserved[7] = (byte)((fast ? 0x04 : 0) | (v2Upgrade ? 0x10 : 0) | (dht ? 0x01 : 0));
        return reserved;
    }

    /// <summary>
    /// Parses a handshake at the start of <paramref name="input"/>. A wrong protocol byte is reported as soon as it
    /// arrives; fewer than 68 bytes otherwise need more data. On <see cref="HandshakeStatus.Done"/> 68 bytes are consumed.
    /// </summary>
    public static HandshakeStatus TryParse(ReadOnlySpan<byte> input, out Handshake? handshake, out PeerWireError error)
    {
        handshake = null;
        var prefix = Math.Min(input.Length, Protocol.Length);
        if (!input[..prefix].SequenceEqual(Protocol[..prefix]))
        {
            error = PeerWireError.InvalidProtocol;
            return HandshakeStatus.Invalid;
        }

        error = PeerWireError.None;
        if (input.Length < ByteCount)
        {
            return HandshakeStatus.NeedMoreData;
        }

        handshake = new Handshake(input.Slice(20, 8), input.Slice(28, 20), input.Slice(48, 20));
        return HandshakeStatus.Done;
    }

    /// <summary>Parses from a pipe buffer; on <see cref="HandshakeStatus.Done"/> <paramref name="consumed"/> is past the 68 bytes.</summary>
    public static HandshakeStatus TryParse(ReadOnlySequence<byte> input, out Handshake? handshake, out SequencePosition consumed, out PeerWireError error)
    {
        Span<byte> head = stackalloc byte[ByteCount];
        var length = (int)Math.Min(input.Length, ByteCount);
        input.Slice(0, length).CopyTo(head);
        var status = TryParse(head[..length], out handshake, out error);
        consumed = status == HandshakeStatus.Done ? input.GetPosition(ByteCount) : input.Start;
        return status;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        Protocol.CopyTo(destination);
        Reserved.Span.CopyTo(destination[20..]);
        InfoHash.Span.CopyTo(destination[28..]);
        PeerId.Span.CopyTo(destination[48..ByteCount]);
        return ByteCount;
    }
}
