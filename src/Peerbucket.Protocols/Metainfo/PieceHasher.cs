using System.Security.Cryptography;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>
/// Hashes a file of known length one whole piece at a time, pieces in any order: SHA-1 of each piece (v1
/// <c>pieces</c>) and the SHA-256 merkle root of each piece's 16 KiB blocks (BEP 52 piece layer). <see cref="Finish"/>
/// gives the same <see cref="TorrentFacts"/> as <see cref="TorrentHasher"/> over the same bytes.
/// </summary>
/// <remarks>
/// It starts no threads: <see cref="HashPiece"/> is a pure function of its piece that writes only that piece's slots,
/// so a caller may hash distinct pieces at the same time (e.g. one per core) and call <see cref="Finish"/> once every
/// call has returned. Memory is 52 bytes per piece; the caller holds the piece bytes.
/// </remarks>
public sealed class PieceHasher
{
    private const int Sha1Size = 20;
    private const int HashSize = MerkleTree.HashSize;

    private readonly TorrentFormat _hashes;
    private readonly byte[] _sha1Pieces;
    private readonly byte[] _pieceRoots;
    private readonly bool[] _hashed;
    private readonly long _leavesPerTree;
    private bool _finished;

    /// <param name="length">The file's length in bytes.</param>
    /// <param name="pieceLength">A power of two in [16 KiB, 256 MiB] (see <see cref="PieceLengthRule"/>).</param>
    /// <param name="hashes">The torrent format to hash for: <see cref="TorrentFormat.Hybrid"/> (both kinds), or only
    /// the SHA-1 pieces (<see cref="TorrentFormat.V1"/>) or only the merkle hashes (<see cref="TorrentFormat.V2"/>).</param>
    public PieceHasher(long length, long pieceLength, TorrentFormat hashes = TorrentFormat.Hybrid)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!PieceLengthRule.IsValid(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "Piece length must be a power of two in [16 KiB, 256 MiB].");
        }

        if (hashes is not (TorrentFormat.V1 or TorrentFormat.V2 or TorrentFormat.Hybrid))
        {
            throw new ArgumentOutOfRangeException(nameof(hashes), hashes, null);
        }

        var pieces = PieceLengthRule.PieceCount(length, pieceLength);
        if (pieces > PieceLengthRule.MaxPieceCount)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Too many pieces for this piece length.");
        }

        Length = length;
        PieceLength = pieceLength;
        PieceCount = (int)pieces;
        _hashes = hashes;
        _sha1Pieces = HasV1 ? new byte[PieceCount * Sha1Size] : [];
        _pieceRoots = HasV2 ? new byte[PieceCount * HashSize] : [];
        _hashed = new bool[PieceCount];

        // A file of one piece has only as many leaves as its blocks need (next power of two); every piece of a longer
        // file, the last one too, has a full piece's leaves.
        var leavesPerPiece = pieceLength / PieceLengthRule.BlockSize;
        _leavesPerTree = length > pieceLength
            ? leavesPerPiece
            : MerkleTree.LeafCountFor((length + PieceLengthRule.BlockSize - 1) / PieceLengthRule.BlockSize);
    }

    public long Length { get; }

    public long PieceLength { get; }

    public int PieceCount { get; }

    private bool HasV1 => _hashes is TorrentFormat.V1 or TorrentFormat.Hybrid;

    private bool HasV2 => _hashes is TorrentFormat.V2 or TorrentFormat.Hybrid;

    /// <summary>Where piece <paramref name="index"/> starts in the file.</summary>
    public long PieceOffset(int index)
    {
        CheckIndex(index);
        return index * PieceLength;
    }

    /// <summary>The bytes in piece <paramref name="index"/>: the piece length, less for the last piece.</summary>
    public int PieceSize(int index)
    {
        CheckIndex(index);
        return (int)Math.Min(PieceLength, Length - (index * PieceLength));
    }

    /// <summary>Hashes piece <paramref name="index"/>, exactly <see cref="PieceSize"/> bytes. Safe to call for distinct
    /// pieces at the same time; hashing a piece again overwrites its hashes.</summary>
    public void HashPiece(int index, ReadOnlySpan<byte> piece)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (piece.Length != PieceSize(index))
        {
            throw new ArgumentException($"Piece {index} has {PieceSize(index)} bytes, not {piece.Length}.", nameof(piece));
        }

        if (HasV1)
        {
            SHA1.HashData(piece, _sha1Pieces.AsSpan(index * Sha1Size, Sha1Size));
        }

        if (HasV2)
        {
            MerkleTree.PieceRoot(piece, _leavesPerTree, _pieceRoots.AsSpan(index * HashSize, HashSize));
        }

        _hashed[index] = true;
    }

    /// <summary>Completes the hashes once every piece is hashed; the hasher cannot be used afterwards.</summary>
    public TorrentFacts Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        var missing = Array.IndexOf(_hashed, false);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"Piece {missing} of {PieceCount} was not hashed.");
        }

        _finished = true;
        if (!HasV2)
        {
            return new TorrentFacts(Length, PieceLength, _sha1Pieces, [], [], _hashes);
        }

        if (PieceCount <= 1)
        {
            // No piece layer: one piece's root is the file's root (all zero for an empty file, which has none).
            var only = PieceCount == 1 ? _pieceRoots : new byte[HashSize];
            return new TorrentFacts(Length, PieceLength, _sha1Pieces, [], only, _hashes);
        }

        var root = new byte[HashSize];
        MerkleTree.PiecesRoot(_pieceRoots, PieceCount, (int)(PieceLength / PieceLengthRule.BlockSize), root);
        return new TorrentFacts(Length, PieceLength, _sha1Pieces, _pieceRoots, root, _hashes);
    }

    private void CheckIndex(int index) => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)PieceCount, nameof(index));
}
