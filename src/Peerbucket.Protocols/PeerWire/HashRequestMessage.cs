using System.Buffers.Binary;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// hash request (id 21, BEP 52): pieces root (32 bytes), base layer, index, length, proof layers (u32 each).
/// Answer with <see cref="HashesMessage"/> (see <see cref="MerkleProof"/>) or <see cref="HashRejectMessage"/>.
/// </summary>
public readonly record struct HashRequestMessage(ReadOnlyMemory<byte> PiecesRoot, int BaseLayer, int Index, int Length, int ProofLayers)
    : IPeerMessage
{
    /// <summary>Payload bytes after the id: root and four u32.</summary>
    public const int PayloadSize = 32 + 16;

    public const int ByteCount = 5 + PayloadSize;

    public static bool TryParse(ReadOnlySpan<byte> payload, out HashRequestMessage message, out PeerWireError error)
    {
        message = default;
        return PeerWireFormat.CheckLength(payload, PayloadSize, out error) && TryParseFields(payload, out message, out error);
    }

    public int GetByteCount() => ByteCount;

    public int Write(Span<byte> destination) => WriteAs(destination, PeerMessageId.HashRequest, 0);

    /// <summary>Reads the root and the four fields from the first 48 bytes (shared by hashes and hash reject).</summary>
    internal static bool TryParseFields(ReadOnlySpan<byte> payload, out HashRequestMessage message, out PeerWireError error)
    {
        message = default;
        if (!PeerWireFormat.TryReadIndex(payload[32..], out var baseLayer)
            || !PeerWireFormat.TryReadIndex(payload[36..], out var index)
            || !PeerWireFormat.TryReadIndex(payload[40..], out var length)
            || !PeerWireFormat.TryReadIndex(payload[44..], out var proofLayers))
        {
            error = PeerWireError.InvalidField;
            return false;
        }

        message = new HashRequestMessage(payload[..32].ToArray(), baseLayer, index, length, proofLayers);
        error = PeerWireError.None;
        return true;
    }

    /// <summary>Writes header and fields with <paramref name="id"/>, leaving room for <paramref name="extra"/> bytes.</summary>
    internal int WriteAs(Span<byte> destination, PeerMessageId id, int extra)
    {
        if (PiecesRoot.Length != 32)
        {
            throw new InvalidOperationException("A pieces root has 32 bytes.");
        }

        PeerWireFormat.WriteHeader(destination, id, PayloadSize + extra);
        PiecesRoot.Span.CopyTo(destination[5..]);
        BinaryPrimitives.WriteInt32BigEndian(destination[37..], BaseLayer);
        BinaryPrimitives.WriteInt32BigEndian(destination[41..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[45..], Length);
        BinaryPrimitives.WriteInt32BigEndian(destination[49..], ProofLayers);
        return ByteCount;
    }
}
