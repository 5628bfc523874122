using System.Buffers;
using System.Security.Cryptography;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>
/// Streaming one-pass hasher for a single file: SHA-1 per piece (v1 <c>pieces</c>), SHA-256 per 16 KiB block
/// folded into a merkle root per piece (BEP 52 piece layer) and the file's <c>pieces root</c>.
/// Feed <see cref="Append"/> chunks of any size, then call <see cref="Finish"/> once.
/// Memory is O(pieces): 52 bytes per piece plus one piece's block hashes.
/// </summary>
public sealed class TorrentHasher : IDisposable
{
    private const int Block = PieceLengthRule.BlockSize;
    private const int HashSize = MerkleTree.HashSize;

    private readonly long _pieceLength;
    private readonly int _leavesPerPiece;
    private readonly IncrementalHash _sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
    private readonly byte[] _partialBlock = new byte[Block];
    private readonly byte[] _leaves;
    private readonly ArrayBufferWriter<byte> _sha1Pieces = new();
    private readonly ArrayBufferWriter<byte> _pieceLayer = new();
    private int _partialBlockFill;
    private int _leafCount;
    private long _pieceFill;
    private long _length;
    private bool _finished;

    /// <param name="pieceLength">A power of two in [16 KiB, 256 MiB] (see <see cref="PieceLengthRule"/>).</param>
    public TorrentHasher(long pieceLength)
    {
        if (!PieceLengthRule.IsValid(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "Piece length must be a power of two in [16 KiB, 256 MiB].");
        }

        _pieceLength = pieceLength;
        _leavesPerPiece = (int)(pieceLength / Block);
        _leaves = new byte[_leavesPerPiece * HashSize];
    }

    /// <summary>Bytes appended so far.</summary>
    public long Length => _length;

    /// <summary>Hashes the next bytes of the file.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!data.IsEmpty)
        {
            var take = (int)Math.Min(data.Length, _pieceLength - _pieceFill);
            if (_pieceFill == 0 && PieceLengthRule.PieceCount(_length + 1, _pieceLength) > PieceLengthRule.MaxPieceCount)
            {
                throw new InvalidOperationException("Too many pieces for this piece length.");
            }

            var chunk = data[..take];
            _sha1.AppendData(chunk);
            HashBlocks(chunk);
            _pieceFill += take;
            _length += take;
            data = data[take..];
            if (_pieceFill == _pieceLength)
            {
                FinishPiece();
            }
        }
    }

    /// <summary>Completes the hashes; the hasher cannot be used afterwards.</summary>
    public TorrentFacts Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        if (_partialBlockFill > 0)
        {
            SHA256.HashData(_partialBlock.AsSpan(0, _partialBlockFill), NextLeaf());
            _partialBlockFill = 0;
        }

        var root = new byte[HashSize];
        if (_length == 0)
        {
            _sha1.Dispose();
            return new TorrentFacts(0, _pieceLength, [], [], root, owned: true);
        }

        if (_length < _pieceLength)
        {
            // Single partial piece: the tree has only as many leaves as the file needs (next power of two).
            _sha1Pieces.Write(_sha1.GetHashAndReset());
            MerkleTree.ComputeRoot(_leaves, _leafCount, MerkleTree.LeafCountFor(_leafCount), new byte[HashSize], root);
            _sha1.Dispose();
            return new TorrentFacts(_length, _pieceLength, _sha1Pieces.WrittenSpan.ToArray(), [], root, owned: true);
        }

        if (_pieceFill > 0)
        {
            FinishPiece();
        }

        _sha1.Dispose();
        var layer = _pieceLayer.WrittenSpan.ToArray();
        var pieces = layer.Length / HashSize;
        if (pieces == 1)
        {
            // Exactly one full piece: its root is the file's root and there is no piece layer.
            return new TorrentFacts(_length, _pieceLength, _sha1Pieces.WrittenSpan.ToArray(), [], layer, owned: true);
        }

        var work = layer.AsSpan().ToArray();
        MerkleTree.ComputeRoot(work, pieces, MerkleTree.LeafCountFor(pieces), MerkleTree.ZeroSubtreeRoot(_leavesPerPiece), root);
        return new TorrentFacts(_length, _pieceLength, _sha1Pieces.WrittenSpan.ToArray(), layer, root, owned: true);
    }

    public void Dispose()
    {
        _finished = true;
        _sha1.Dispose();
    }

    private void HashBlocks(ReadOnlySpan<byte> chunk)
    {
        if (_partialBlockFill > 0)
        {
            var take = Math.Min(chunk.Length, Block - _partialBlockFill);
            chunk[..take].CopyTo(_partialBlock.AsSpan(_partialBlockFill));
            _partialBlockFill += take;
            chunk = chunk[take..];
            if (_partialBlockFill < Block)
            {
                return;
            }

            SHA256.HashData(_partialBlock, NextLeaf());
            _partialBlockFill = 0;
        }

        while (chunk.Length >= Block)
        {
            SHA256.HashData(chunk[..Block], NextLeaf());
            chunk = chunk[Block..];
        }

        if (!chunk.IsEmpty)
        {
            chunk.CopyTo(_partialBlock);
            _partialBlockFill = chunk.Length;
        }
    }

    private Span<byte> NextLeaf() => _leaves.AsSpan(_leafCount++ * HashSize, HashSize);

    private void FinishPiece()
    {
        _sha1Pieces.Write(_sha1.GetHashAndReset());
        var root = _pieceLayer.GetSpan(HashSize)[..HashSize];
        MerkleTree.ComputeRoot(_leaves, _leafCount, _leavesPerPiece, new byte[HashSize], root);
        _pieceLayer.Advance(HashSize);
        _leafCount = 0;
        _pieceFill = 0;
    }
}
