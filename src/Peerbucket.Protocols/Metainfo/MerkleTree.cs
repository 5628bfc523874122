using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>BEP 52 SHA-256 merkle helpers over 32-byte nodes.</summary>
internal static class MerkleTree
{
    public const int HashSize = 32;

    private const int Block = PieceLengthRule.BlockSize;

    /// <summary>
    /// Root of one piece's tree: the SHA-256 of each 16 KiB block of <paramref name="piece"/> (the last may be
    /// shorter) as leaves, padded with zero leaves up to <paramref name="leafCount"/> (a power of two).
    /// </summary>
    public static void PieceRoot(ReadOnlySpan<byte> piece, long leafCount, Span<byte> root)
    {
        var blocks = (piece.Length + Block - 1) / Block;
        var leaves = ArrayPool<byte>.Shared.Rent(Math.Max(blocks, 1) * HashSize);
        try
        {
            for (var i = 0; i < blocks; i++)
            {
                var start = i * Block;
                SHA256.HashData(piece.Slice(start, Math.Min(Block, piece.Length - start)), leaves.AsSpan(i * HashSize, HashSize));
            }

            ComputeRoot(leaves, blocks, leafCount, new byte[HashSize], root);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(leaves);
        }
    }

    /// <summary>
    /// A file's <c>pieces root</c> from its piece layer (<paramref name="pieces"/> &gt; 1 piece roots): the layer padded
    /// to a power of two with the roots of all-zero pieces of <paramref name="leavesPerPiece"/> leaves.
    /// </summary>
    public static void PiecesRoot(ReadOnlySpan<byte> layer, int pieces, int leavesPerPiece, Span<byte> root)
    {
        var work = layer[..(pieces * HashSize)].ToArray();
        ComputeRoot(work, pieces, LeafCountFor(pieces), ZeroSubtreeRoot(leavesPerPiece), root);
    }

    /// <summary>
    /// Root of a tree whose first <paramref name="count"/> leaves are in <paramref name="nodes"/> (overwritten)
    /// and whose remaining leaves, up to <paramref name="leafCount"/> (a power of two), equal <paramref name="padLeaf"/>.
    /// </summary>
    public static void ComputeRoot(Span<byte> nodes, int count, long leafCount, ReadOnlySpan<byte> padLeaf, Span<byte> root)
    {
        Span<byte> pad = stackalloc byte[HashSize];
        Span<byte> pair = stackalloc byte[2 * HashSize];
        padLeaf.CopyTo(pad);
        while (leafCount > 1)
        {
            var parents = (count + 1) / 2;
            for (var i = 0; i < parents; i++)
            {
                nodes.Slice(2 * i * HashSize, HashSize).CopyTo(pair);
                if ((2 * i) + 1 < count)
                {
                    nodes.Slice(((2 * i) + 1) * HashSize, HashSize).CopyTo(pair[HashSize..]);
                }
                else
                {
                    pad.CopyTo(pair[HashSize..]);
                }

                SHA256.HashData(pair, nodes.Slice(i * HashSize, HashSize));
            }

            pad.CopyTo(pair);
            pad.CopyTo(pair[HashSize..]);
            SHA256.HashData(pair, pad);
            count = parents;
            leafCount /= 2;
        }

        if (count == 0)
        {
            pad.CopyTo(root);
        }
        else
        {
            nodes[..HashSize].CopyTo(root);
        }
    }

    /// <summary>Root of a subtree of <paramref name="leafCount"/> all-zero leaf hashes.</summary>
    public static byte[] ZeroSubtreeRoot(long leafCount)
    {
        var node = new byte[HashSize];
        Span<byte> pair = stackalloc byte[2 * HashSize];
        for (var n = leafCount; n > 1; n /= 2)
        {
            node.CopyTo(pair);
            node.CopyTo(pair[HashSize..]);
            SHA256.HashData(pair, node);
        }

        return node;
    }

    public static long LeafCountFor(long count) => count <= 1 ? 1 : (long)BitOperations.RoundUpToPowerOf2((ulong)count);
}
