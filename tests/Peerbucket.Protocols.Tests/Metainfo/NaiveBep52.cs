using System.Security.Cryptography;

namespace Peerbucket.Protocols.Tests.Metainfo;

/// <summary>
/// Independent, deliberately naive reference for the hashes: SHA-1 over each piece slice, and BEP 52's merkle
/// tree built recursively over the full leaf array (block hashes, then explicit zero leaves).
/// </summary>
internal static class NaiveBep52
{
    private const int Block = 16 * 1024;

    public static byte[] Sha1Pieces(byte[] data, long pieceLength)
    {
        var output = new List<byte>();
        for (long offset = 0; offset < data.Length; offset += pieceLength)
        {
            var size = (int)Math.Min(pieceLength, data.Length - offset);
            output.AddRange(SHA1.HashData(data.AsSpan((int)offset, size)));
        }

        return [.. output];
    }

    public static (byte[] Root, byte[] Layer) Compute(byte[] data, long pieceLength)
    {
        var blocks = (data.Length + Block - 1) / Block;
        var leavesPerPiece = (int)(pieceLength / Block);
        var pieces = (int)((data.Length + pieceLength - 1) / pieceLength);
        var totalLeaves = data.Length <= pieceLength ? NextPow2(blocks) : NextPow2(pieces) * leavesPerPiece;
        var leaves = new byte[totalLeaves][];
        for (var i = 0; i < totalLeaves; i++)
        {
            leaves[i] = i < blocks
                ? SHA256.HashData(data.AsSpan(i * Block, Math.Min(Block, data.Length - (i * Block))))
                : new byte[32];
        }

        var root = Root(leaves, 0, totalLeaves);
        if (data.Length <= pieceLength)
        {
            return (root, []);
        }

        var layer = new List<byte>();
        for (var p = 0; p < pieces; p++)
        {
            layer.AddRange(Root(leaves, p * leavesPerPiece, leavesPerPiece));
        }

        return (root, [.. layer]);
    }

    private static byte[] Root(byte[][] leaves, int start, int count)
        => count == 1
            ? leaves[start]
            : SHA256.HashData([.. Root(leaves, start, count / 2), .. Root(leaves, start + (count / 2), count / 2)]);

    private static int NextPow2(int n)
    {
        var p = 1;
        while (p < n)
        {
            p *= 2;
        }

        return p;
    }
}
