namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// extended (id 20, BEP 10): an extended id (0 = extension handshake, otherwise an id from the receiver's
/// <c>m</c> dictionary) and that extension's payload.
/// </summary>
public readonly record struct ExtendedMessage(byte ExtendedId, ReadOnlyMemory<byte> Payload) : IPeerMessage
{
    /// <summary>The extended id of the extension handshake.</summary>
    public const byte HandshakeId = 0;

    /// <summary>Parses the payload after the message id; the extension payload is copied.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out ExtendedMessage message, out PeerWireError error)
    {
        message = default;
        if (payload.IsEmpty)
        {
            error = PeerWireError.WrongLength;
            return false;
        }

        message = new ExtendedMessage(payload[0], payload[1..].ToArray());
        error = PeerWireError.None;
        return true;
    }

    public int GetByteCount() => 6 + Payload.Length;

    public int Write(Span<byte> destination)
    {
        PeerWireFormat.WriteHeader(destination, PeerMessageId.Extended, 1 + Payload.Length);
        destination[5] = ExtendedId;
        Payload.Span.CopyTo(destination[6..]);
        return 6 + Payload.Length;
    }
}
