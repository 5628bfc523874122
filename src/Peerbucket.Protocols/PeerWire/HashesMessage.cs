namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// hashes (id 22, BEP 52): the request's fields, then the base-layer hashes followed by the uncle hashes from the
/// lowest proof layer up (32 bytes each).
/// </summary>
public readonly record struct HashesMessage(HashRequestMessage Request, ReadOnlyMemory<byte> Hashes) : IPeerMessage
{
    public static bool TryParse(ReadOnlySpan<byte> payload, out HashesMessage message, out PeerWireError error)
    {
        message = default;
        if (payload.Length < HashRequestMessage.PayloadSize || (payload.Length - HashRequestMessage.PayloadSize) % 32 != 0)
        {
            error = PeerWireError.WrongLength;
            return false;
        }

        if (!HashRequestMessage.TryParseFields(payload, out var request, out error))
        {
            return false;
        }

        message = new HashesMessage(request, payload[HashRequestMessage.PayloadSize..].ToArray());
        return true;
    }

    public int GetByteCount() => HashRequestMessage.ByteCount + Hashes.Length;

    public int Write(Span<byte> destination)
    {
        if (Hashes.Length % 32 != 0)
        {
            throw new InvalidOperationException("Hashes are 32 bytes each.");
        }

        Request.WriteAs(destination, PeerMessageId.Hashes, Hashes.Length);
        Hashes.Span.CopyTo(destination[HashRequestMessage.ByteCount..]);
        return GetByteCount();
    }
}
