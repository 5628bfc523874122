using System.Buffers;
using System.Globalization;
using System.Text;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// A BEP 9 ut_metadata message (the payload of an extended message): <c>{msg_type, piece}</c>, plus
/// <c>total_size</c> and the raw piece bytes after the dictionary for data. The info dictionary travels in
/// 16 KiB pieces; only the last may be shorter.
/// </summary>
public readonly record struct UtMetadataMessage(UtMetadataMessageType MessageType, int Piece, long? TotalSize, ReadOnlyMemory<byte> Data)
{
    /// <summary>The extension's name in <c>m</c>.</summary>
    public const string ExtensionName = "ut_metadata";

    /// <summary>Metadata piece size.</summary>
    public const int PieceSize = 16 * 1024;

    private static readonly BencodeLimits Limits = new() { MaxDepth = 4 };

    public static UtMetadataMessage Request(int piece) => new(UtMetadataMessageType.Request, piece, null, default);

    public static UtMetadataMessage Reject(int piece) => new(UtMetadataMessageType.Reject, piece, null, default);

    /// <summary>A data message carrying piece <paramref name="piece"/> of <paramref name="metadata"/> (the exact info bytes).</summary>
    public static UtMetadataMessage DataFor(ReadOnlyMemory<byte> metadata, int piece)
        => new(UtMetadataMessageType.Data, piece, metadata.Length, GetPiece(metadata, piece));

    /// <summary>Pieces in metadata of <paramref name="metadataSize"/> bytes.</summary>
    public static int PieceCount(long metadataSize) => (int)((metadataSize + PieceSize - 1) / PieceSize);

    /// <summary>Piece <paramref name="piece"/> of the metadata; throws when out of range.</summary>
    public static ReadOnlyMemory<byte> GetPiece(ReadOnlyMemory<byte> metadata, int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount(metadata.Length));
        var start = piece * PieceSize;
        return metadata.Slice(start, Math.Min(PieceSize, metadata.Length - start));
    }

    /// <summary>
    /// Parses the extension payload. An unknown integer <c>msg_type</c> parses (ignore it); a missing or non-integer
    /// <c>msg_type</c>/<c>piece</c>, a data message without <c>total_size</c>, or data over 16 KiB fail.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> payload, out UtMetadataMessage message, out PeerWireError error)
    {
        message = default;
        if (BencodeReader.TryRead(payload, out var value, out var consumed, out _, Limits) != BencodeError.None
            || value is not BDictionary dictionary)
        {
            error = PeerWireError.InvalidBencode;
            return false;
        }

        error = PeerWireError.InvalidMetadataMessage;
        if (dictionary.Get<BInteger>("msg_type"u8) is not { Value: >= 0 and <= int.MaxValue } type
            || dictionary.Get<BInteger>("piece"u8) is not { Value: >= 0 and <= int.MaxValue } piece)
        {
            return false;
        }

        var messageType = (UtMetadataMessageType)(int)type.Value;
        long? totalSize = null;
        ReadOnlyMemory<byte> data = default;
        if (messageType == UtMetadataMessageType.Data)
        {
            if (dictionary.Get<BInteger>("total_size"u8) is not { Value: > 0 } total || payload.Length - consumed > PieceSize)
            {
                return false;
            }

            totalSize = total.Value;
            data = payload[consumed..].ToArray();
        }

        message = new UtMetadataMessage(messageType, (int)piece.Value, totalSize, data);
        error = PeerWireError.None;
        return true;
    }

    /// <summary>Bytes of the extension payload (dictionary and data).</summary>
    public int GetByteCount() => Header().Length + Data.Length;

    /// <summary>Writes the extension payload (dictionary, then data for a data message).</summary>
    public int Write(Span<byte> destination)
    {
        var header = Header();
        header.CopyTo(destination);
        Data.Span.CopyTo(destination[header.Length..]);
        return header.Length + Data.Length;
    }

    /// <summary>The whole extended message, addressed with the id the <em>peer</em> gave ut_metadata in its <c>m</c>.</summary>
    public ExtendedMessage ToExtendedMessage(byte peerExtensionId)
    {
        var payload = new byte[GetByteCount()];
        Write(payload);
        return new ExtendedMessage(peerExtensionId, payload);
    }

    private byte[] Header()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"d8:msg_typei{(int)MessageType}e5:piecei{Piece}e");
        if (TotalSize is { } total)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"10:total_sizei{total}e");
        }

        return Encoding.ASCII.GetBytes(text + "e");
    }
}
