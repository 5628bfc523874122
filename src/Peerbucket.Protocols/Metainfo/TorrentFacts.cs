using System.Buffers.Binary;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>
/// Everything about an object's bytes that a torrent needs, computed once by <see cref="TorrentHasher"/> (or
/// <see cref="PieceHasher"/>): enough to build the v1, v2 or hybrid torrent for any name and trackers without reading
/// the bytes again. Facts hashed for one format only (<see cref="HasV1"/> or <see cref="HasV2"/> false) build only
/// torrents of that format and are not stored.
/// </summary>
public sealed class TorrentFacts
{
    /// <summary>Version byte that starts <see cref="Serialize"/>'s output.</summary>
    public const byte SerializationVersion = 1;

    private const int HeaderSize = 1 + 8 + 8 + 32;

    private readonly byte[] _sha1Pieces;
    private readonly byte[] _pieceLayer;
    private readonly byte[] _piecesRoot;

    /// <summary>Creates facts with both hash kinds from copies of the given hashes; sizes are checked against the length.</summary>
    public TorrentFacts(long length, long pieceLength, ReadOnlySpan<byte> sha1Pieces, ReadOnlySpan<byte> pieceLayer, ReadOnlySpan<byte> piecesRoot)
        : this(length, pieceLength, sha1Pieces.ToArray(), pieceLayer.ToArray(), piecesRoot.ToArray(), TorrentFormat.Hybrid)
    {
    }

    /// <summary>Takes ownership of the arrays (no copy). <paramref name="hashes"/> names the hash kinds present: V1
    /// (SHA-1 pieces; layer and root empty), V2 (layer and root; SHA-1 pieces empty) or Hybrid (all).</summary>
    internal TorrentFacts(long length, long pieceLength, byte[] sha1Pieces, byte[] pieceLayer, byte[] piecesRoot, TorrentFormat hashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!PieceLengthRule.IsValid(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "Piece length must be a power of two in [16 KiB, 256 MiB].");
        }

        var pieces = PieceLengthRule.PieceCount(length, pieceLength);
        if (pieces > PieceLengthRule.MaxPieceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Too many pieces for this piece length.");
        }

        HasV1 = hashes is TorrentFormat.V1 or TorrentFormat.Hybrid;
        HasV2 = hashes is TorrentFormat.V2 or TorrentFormat.Hybrid;
        if (!HasV1 && !HasV2)
        {
            throw new ArgumentOutOfRangeException(nameof(hashes), hashes, null);
        }

        if (sha1Pieces.Length != (HasV1 ? pieces * 20 : 0))
        {
            throw new ArgumentException("Expected 20 bytes of SHA-1 per piece (none without v1 hashes).", nameof(sha1Pieces));
        }

        if (pieceLayer.Length != (HasV2 && length > pieceLength ? pieces * 32 : 0))
        {
            throw new ArgumentException("Expected 32 bytes of SHA-256 per piece for files longer than one piece, none otherwise (or without v2 hashes).", nameof(pieceLayer));
        }

        if (piecesRoot.Length != (HasV2 ? 32 : 0))
        {
            throw new ArgumentException("Expected a 32-byte pieces root (none without v2 hashes).", nameof(piecesRoot));
        }

        Length = length;
        PieceLength = pieceLength;
        PieceCount = (int)pieces;
        _sha1Pieces = sha1Pieces;
        _pieceLayer = pieceLayer;
        _piecesRoot = piecesRoot;
    }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Piece length: a power of two, at least 16 KiB.</summary>
    public long PieceLength { get; }

    /// <summary>Number of pieces (0 for an empty file).</summary>
    public int PieceCount { get; }

    /// <summary>The v1 hashes (<see cref="Sha1Pieces"/>) are present: v1 and, with <see cref="HasV2"/>, hybrid torrents.</summary>
    public bool HasV1 { get; }

    /// <summary>The v2 hashes (<see cref="PieceLayer"/>, <see cref="PiecesRoot"/>) are present: v2 and, with
    /// <see cref="HasV1"/>, hybrid torrents.</summary>
    public bool HasV2 { get; }

    /// <summary>v1 <c>pieces</c>: 20-byte SHA-1 per piece, concatenated (empty without <see cref="HasV1"/>).</summary>
    public ReadOnlyMemory<byte> Sha1Pieces => _sha1Pieces;

    /// <summary>BEP 52 piece layer: 32-byte SHA-256 merkle root per piece; empty when Length &lt;= PieceLength (or
    /// without <see cref="HasV2"/>).</summary>
    public ReadOnlyMemory<byte> PieceLayer => _pieceLayer;

    /// <summary>BEP 52 <c>pieces root</c> (32 bytes; all zero for an empty file, which has no root; empty without
    /// <see cref="HasV2"/>).</summary>
    public ReadOnlyMemory<byte> PiecesRoot => _piecesRoot;

    /// <summary>
    /// Binary form for storage: version byte (1), length (int64 LE), piece length (int64 LE), pieces root (32),
    /// SHA-1 pieces (20 × n), piece layer (32 × n when length &gt; piece length, else nothing). Only facts with both
    /// hash kinds are stored (the server's write path computes both); others throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public byte[] Serialize()
    {
        if (!HasV1 || !HasV2)
        {
            throw new InvalidOperationException("Only facts with both the v1 and the v2 hashes can be serialized.");
        }

        var output = new byte[HeaderSize + _sha1Pieces.Length + _pieceLayer.Length];
        output[0] = SerializationVersion;
        BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(1), Length);
        BinaryPrimitives.WriteInt64LittleEndian(output.AsSpan(9), PieceLength);
        _piecesRoot.CopyTo(output, 17);
        _sha1Pieces.CopyTo(output, HeaderSize);
        _pieceLayer.CopyTo(output, HeaderSize + _sha1Pieces.Length);
        return output;
    }

    /// <summary>Reads <see cref="Serialize"/>'s output; throws <see cref="FormatException"/> when it is not that.</summary>
    public static TorrentFacts Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize)
        {
            throw new FormatException("Torrent facts: too short.");
        }

        if (data[0] != SerializationVersion)
        {
            throw new FormatException($"Torrent facts: unknown version {data[0]}.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(data[1..]);
        var pieceLength = BinaryPrimitives.ReadInt64LittleEndian(data[9..]);
        if (length < 0 || !PieceLengthRule.IsValid(pieceLength))
        {
            throw new FormatException("Torrent facts: invalid length or piece length.");
        }

        var pieces = PieceLengthRule.PieceCount(length, pieceLength);
        if (pieces > PieceLengthRule.MaxPieceCount)
        {
            throw new FormatException("Torrent facts: too many pieces.");
        }

        var sha1Size = (int)pieces * 20;
        var layerSize = length > pieceLength ? (int)pieces * 32 : 0;
        if (data.Length != HeaderSize + sha1Size + layerSize)
        {
            throw new FormatException("Torrent facts: size does not match the piece count.");
        }

        var root = data.Slice(17, 32).ToArray();
        var sha1 = data.Slice(HeaderSize, sha1Size).ToArray();
        var layer = data.Slice(HeaderSize + sha1Size, layerSize).ToArray();
        return new TorrentFacts(length, pieceLength, sha1, layer, root, TorrentFormat.Hybrid);
    }
}
