namespace Peerbucket.Protocols.PeerWire;

/// <summary>hash reject (id 23, BEP 52): the request's fields, echoed; the sender will not serve it.</summary>
public readonly record struct HashRejectMessage(HashRequestMessage Request) : IPeerMessage
{
    public const int ByteCount = HashRequestMessage.ByteCount;

    public static bool TryParse(ReadOnlySpan<byte> payload, out HashRejectMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.CheckLength(payload, HashRequestMessage.PayloadSize, out error)
            || !HashRequestMessage.TryParseFields(payload, out var request, out error))
        {
            return false;
        }

        message = new HashRejectMessage(request);
        return true;
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => Request.WriteAs(destination, PeerMessageId.HashReject, 0);
}
