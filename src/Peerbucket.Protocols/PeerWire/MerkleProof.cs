using System.Numerics;
using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Protocols.PeerWire;

/// <summary>
/// Serves BEP 52 hash requests from a file's piece layer (the <c>piece layers</c> entry: concatenated 32-byte
/// piece hashes). Only the piece layer is served (base layer = log2(piece length / 16 KiB)); the layer is padded
/// to a power of two with the root of an all-zero piece subtree. A reply holds the requested hashes, then one
/// uncle per proof layer from the lowest up; the first log2(length) - 1 proof layers are implied by the hashes
/// themselves and omitted (they still count).
/// </summary>
public static class MerkleProof
{
    public const int BlockSize = 16 * 1024;

    /// <summary>The base layer number of the piece layer (0 = 16 KiB blocks).</summary>
    public static int PieceLayer(long pieceLength)
    {
        if (pieceLength < BlockSize || !BitOperations.IsPow2(pieceLength))
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), pieceLength, "A v2 piece length is a power of two of at least 16 KiB.");
        }

        return BitOperations.Log2((ulong)(pieceLength / BlockSize));
    }

    /// <summary>Uncle hashes in a reply: proof layers beyond the log2(length) - 1 implied ones.</summary>
    public static int UncleCount(int length, int proofLayers)
        => Math.Max(0, proofLayers - BitOperations.Log2((uint)length) + 1);

    /// <summary>Checks a request against a file of <paramref name="pieceCount"/> pieces; anything but None -> hash reject.</summary>
    public static PeerWireError Validate(HashRequestMessage request, int pieceCount, long pieceLength)
    {
        var paddedCount = MerkleTree.LeafCountFor(pieceCount);
        if (request.PiecesRoot.Length != MerkleTree.HashSize || pieceCount < 2 || request.BaseLayer != PieceLayer(pieceLength))
        {
            return PeerWireError.HashRequestUnsupportedLayer;
        }

        if (request.Length < 2 || !BitOperations.IsPow2(request.Length) || request.Length > PeerWireLimits.MaxHashesPerRequest
            || request.Length > paddedCount)
        {
            return PeerWireError.HashRequestInvalidLength;
        }

        if (request.Index % request.Length != 0 || (long)request.Index + request.Length > paddedCount)
        {
            return PeerWireError.HashRequestInvalidIndex;
        }

        // Uncles sit at levels log2(length)..proofLayers above the base; the root (level log2(padded)) has none.
        return request.ProofLayers >= BitOperations.Log2((ulong)paddedCount)
            ? PeerWireError.HashRequestInvalidProofLayers
            : PeerWireError.None;
    }

    /// <summary>
    /// Answers <paramref name="request"/> from the file's <paramref name="pieceLayer"/>: the hashes for a
    /// <see cref="HashesMessage"/>, or false and the reason (send <see cref="HashRejectMessage"/>). The caller has
    /// matched <see cref="HashRequestMessage.PiecesRoot"/> to the file.
    /// </summary>
    public static bool TryGetHashes(ReadOnlySpan<byte> pieceLayer, long pieceLength, HashRequestMessage request, out byte[] hashes, out PeerWireError error)
    {
        if (pieceLayer.Length % MerkleTree.HashSize != 0)
        {
            throw new ArgumentException("A piece layer is a whole number of 32-byte hashes.", nameof(pieceLayer));
        }

        hashes = [];
        var pieceCount = pieceLayer.Length / MerkleTree.HashSize;
        error = Validate(request, pieceCount, pieceLength);
        if (error != PeerWireError.None)
        {
            return false;
        }

        var pad = MerkleTree.ZeroSubtreeRoot(pieceLength / BlockSize);
        var uncles = UncleCount(request.Length, request.ProofLayers);
        hashes = new byte[(request.Length + uncles) * MerkleTree.HashSize];
        for (var i = 0; i < request.Length; i++)
        {
            var piece = request.Index + i;
            var source = piece < pieceCount ? pieceLayer.Slice(piece * MerkleTree.HashSize, MerkleTree.HashSize) : pad;
            source.CopyTo(hashes.AsSpan(i * MerkleTree.HashSize));
        }

        var firstUncleLevel = BitOperations.Log2((uint)request.Length);
        for (var u = 0; u < uncles; u++)
        {
            var level = firstUncleLevel + u;
            var sibling = (request.Index >> level) ^ 1;
            SubtreeRoot(pieceLayer, pieceCount, pad, (long)sibling << level, 1L << level, hashes.AsSpan((request.Length + u) * MerkleTree.HashSize, MerkleTree.HashSize));
        }

        return true;
    }

    /// <summary>Root of the <paramref name="width"/> base-layer nodes from <paramref name="start"/>, padding past the real ones.</summary>
    private static void SubtreeRoot(ReadOnlySpan<byte> pieceLayer, int pieceCount, byte[] pad, long start, long width, Span<byte> root)
    {
        var real = (int)Math.Clamp(pieceCount - start, 0, width);
        if (real == 0)
        {
            // Entirely padding: hash the pad up log2(width) levels.
            MerkleTree.ComputeRoot([], 0, width, pad, root);
            return;
        }

        var nodes = pieceLayer.Slice((int)start * MerkleTree.HashSize, real * MerkleTree.HashSize).ToArray();
        MerkleTree.ComputeRoot(nodes, real, width, pad, root);
    }
}
