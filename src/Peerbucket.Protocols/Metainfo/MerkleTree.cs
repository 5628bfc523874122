using System.Numerics;
using System.Security.Cryptography;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>BEP 52 SHA-256 merkle helpers over 32-byte nodes.</summary>
internal static class MerkleTree
{
    public const int HashSize = 32;

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
