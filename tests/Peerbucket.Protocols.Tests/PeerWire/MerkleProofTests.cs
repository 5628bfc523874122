using System.Security.Cryptography;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Protocols.Tests.Metainfo;

namespace Peerbucket.Protocols.Tests.PeerWire;

public class MerkleProofTests
{
    private const int Block = 16 * 1024;

    [Theory]
    [InlineData(Block, 9 * Block)] // base layer 0, 9 pieces -> padded 16
    [InlineData(2 * Block, (4 * 2 * Block) + 100)] // base layer 1, 5 pieces -> padded 8
    [InlineData(4 * Block, 8 * 4 * Block)] // base layer 2, exactly 8 pieces
    [InlineData(2 * Block, (2 * Block) + 1)] // 2 pieces, the second one byte
    public void EveryValidRequestReturnsHashesWhoseProofReachesTheNaiveTree(int pieceLength, int fileLength)
    {
        var data = new byte[fileLength];
        new Random(pieceLength ^ fileLength).NextBytes(data);
        var (root, layer) = NaiveBep52.Compute(data, pieceLength);
        var levels = NaiveLevels(layer, pieceLength);
        Assert.Equal(root, levels[^1][0]);
        var padded = levels[0].Length;
        var baseLayer = MerkleProof.PieceLayer(pieceLength);
        var checkedRequests = 0;

        for (var length = 2; length <= padded; length *= 2)
        {
            for (var index = 0; index < padded; index += length)
            {
                for (var proofLayers = 0; proofLayers < levels.Length - 1; proofLayers++)
                {
                    var request = new HashRequestMessage(root, baseLayer, index, length, proofLayers);
                    Assert.True(MerkleProof.TryGetHashes(layer, pieceLength, request, out var hashes, out var error), error.ToString());
                    var uncles = MerkleProof.UncleCount(length, proofLayers);
                    Assert.Equal((length + uncles) * 32, hashes.Length);

                    var nodes = Enumerable.Range(0, length).Select(i => hashes[(i * 32)..((i + 1) * 32)]).ToArray();
                    Assert.Equal(levels[0][index..(index + length)], nodes);

                    // Fold the requested hashes into their subtree root, then climb with one uncle per level.
                    var level = 0;
                    while (nodes.Length > 1)
                    {
                        nodes = Enumerable.Range(0, nodes.Length / 2).Select(i => Parent(nodes[2 * i], nodes[(2 * i) + 1])).ToArray();
                        level++;
                    }

                    var node = nodes[0];
                    var position = index >> level;
                    for (var u = 0; u < uncles; u++)
                    {
                        Assert.Equal(levels[level][position], node);
                        var uncle = hashes[((length + u) * 32)..((length + u + 1) * 32)];
                        node = (position & 1) == 0 ? Parent(node, uncle) : Parent(uncle, node);
                        position >>= 1;
                        level++;
                    }

                    Assert.Equal(levels[level][position], node);
                    if (proofLayers == levels.Length - 2)
                    {
                        Assert.Equal(root, node);
                    }

                    checkedRequests++;
                }
            }
        }

        Assert.True(checkedRequests > 0);
    }

    [Fact]
    public void HashesMessageRoundTripsAProof()
    {
        var data = new byte[5 * Block];
        new Random(7).NextBytes(data);
        var (root, layer) = NaiveBep52.Compute(data, Block);
        var request = new HashRequestMessage(root, 0, 4, 4, 2);
        Assert.True(MerkleProof.TryGetHashes(layer, Block, request, out var hashes, out _));

        var bytes = Reencoder.WriteChecked(new HashesMessage(request, hashes));
        Assert.True(HashesMessage.TryParse(bytes.AsSpan(5), out var parsed, out _));
        Assert.Equal(hashes, parsed.Hashes.ToArray());
        Assert.Equal(root, parsed.Request.PiecesRoot.ToArray());
        Assert.Equal((4, 4, 2), (parsed.Request.Index, parsed.Request.Length, parsed.Request.ProofLayers));
    }

    [Theory]
    [InlineData(1, 0, 2, 0, PeerWireError.HashRequestUnsupportedLayer)] // not the piece layer of a 64 KiB-piece file
    [InlineData(0, 0, 2, 0, PeerWireError.HashRequestUnsupportedLayer)]
    [InlineData(2, 0, 1, 0, PeerWireError.HashRequestInvalidLength)]
    [InlineData(2, 0, 0, 0, PeerWireError.HashRequestInvalidLength)]
    [InlineData(2, 0, 3, 0, PeerWireError.HashRequestInvalidLength)]
    [InlineData(2, 0, 16, 0, PeerWireError.HashRequestInvalidLength)]
    [InlineData(2, 2, 4, 0, PeerWireError.HashRequestInvalidIndex)]
    [InlineData(2, 8, 2, 0, PeerWireError.HashRequestInvalidIndex)]
    [InlineData(2, 0, 2, 3, PeerWireError.HashRequestInvalidProofLayers)]
    [InlineData(2, 0, 8, 3, PeerWireError.HashRequestInvalidProofLayers)]
    [InlineData(2, 0, 8, 2, PeerWireError.None)]
    [InlineData(2, 6, 2, 2, PeerWireError.None)]
    public void InvalidRequestsAreRejectedWithAReason(int baseLayer, int index, int length, int proofLayers, PeerWireError expected)
    {
        // 64 KiB pieces (base layer 2), 5 pieces -> piece layer padded to 8.
        var layer = new byte[5 * 32];
        var request = new HashRequestMessage(new byte[32], baseLayer, index, length, proofLayers);
        Assert.Equal(expected == PeerWireError.None, MerkleProof.TryGetHashes(layer, 4 * Block, request, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void SinglePieceFileHasNoPieceLayerToServe()
    {
        Assert.Equal(
            PeerWireError.HashRequestUnsupportedLayer,
            MerkleProof.Validate(new HashRequestMessage(new byte[32], 0, 0, 2, 0), pieceCount: 1, pieceLength: Block));
    }

    [Fact]
    public void PieceLayerIsLog2OfBlocksPerPiece()
    {
        Assert.Equal(0, MerkleProof.PieceLayer(Block));
        Assert.Equal(6, MerkleProof.PieceLayer(1 << 20));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.PieceLayer(3 * Block));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProof.PieceLayer(Block / 2));
    }

    /// <summary>Levels from the padded piece layer (index 0) up to the root, built pair by pair.</summary>
    private static byte[][][] NaiveLevels(byte[] layer, int pieceLength)
    {
        var pad = new byte[32];
        for (var width = 1; width < pieceLength / Block; width *= 2)
        {
            pad = Parent(pad, pad);
        }

        var pieces = layer.Length / 32;
        var padded = 1;
        while (padded < pieces)
        {
            padded *= 2;
        }

        var level = Enumerable.Range(0, padded).Select(i => i < pieces ? layer[(i * 32)..((i + 1) * 32)] : pad).ToArray();
        var levels = new List<byte[][]> { level };
        while (level.Length > 1)
        {
            var below = level;
            level = Enumerable.Range(0, below.Length / 2).Select(i => Parent(below[2 * i], below[(2 * i) + 1])).ToArray();
            levels.Add(level);
        }

        return [.. levels];
    }

    private static byte[] Parent(byte[] left, byte[] right) => SHA256.HashData([.. left, .. right]);
}
