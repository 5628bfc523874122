namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// An encodable peer message. <see cref="Write"/> writes the whole message, length prefix included, and returns
/// <see cref="GetByteCount"/>. Implemented by value types, so a generic <c>Send&lt;T&gt;</c> does not box.
/// </summary>
public interface IPeerMessage
{
    /// <summary>Bytes <see cref="Write"/> writes, length prefix included.</summary>
    int GetByteCount();

    /// <summary>Writes the message (length prefix, id, payload) and returns the bytes written.</summary>
    int Write(Span<byte> destination);
}
