using System.Buffers;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// One framed message from <see cref="PeerMessageReader"/>: its id and payload (the bytes after the id). The payload
/// is a slice of the reader's buffer, valid until the caller advances the pipe; parse it before that.
/// </summary>
public readonly struct PeerMessage
{
    public PeerMessage(byte rawId, ReadOnlySequence<byte> payload)
    {
        RawId = rawId;
        Payload = payload;
    }

    /// <summary>The id byte as sent (also for unknown ids).</summary>
    public byte RawId { get; }

    public PeerMessageId Id => (PeerMessageId)RawId;

    /// <summary>The bytes after the id.</summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <summary>The payload as one span: the buffer itself when contiguous, else copied into <paramref name="scratch"/>
    /// (which must be large enough, e.g. 64 bytes for every fixed-size message).</summary>
    public ReadOnlySpan<byte> GetPayloadSpan(Span<byte> scratch)
    {
        if (Payload.IsSingleSegment)
        {
            return Payload.FirstSpan;
        }

        var length = checked((int)Payload.Length);
        Payload.CopyTo(scratch);
        return scratch[..length];
    }
}
