namespace Peerbucket.Protocols.PeerWire;

/// <summary>keep-alive (BEP 3): a zero length prefix and nothing else.</summary>
public readonly record struct KeepAliveMessage : IPeerMessage
{
    public const int ByteCount = 4;

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination)
    {
        destination[..ByteCount].Clear();
        return ByteCount;
    }
}
