using System.Buffers.Binary;
using System.Security.Cryptography;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Storage.Model;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>The seeder over a real loopback socket, driven by a raw peer written here.</summary>
public sealed class SeederListenerTests : IAsyncLifetime
{
    private const int Size = (3 * 32 * 1024) + 4000;
    private readonly byte[] _data = RandomNumberGenerator.GetBytes(Size);
    private SeederHarness _harness = null!;
    private ObjectRecord _object = null!;

    public async Task InitializeAsync()
    {
        _harness = await SeederHarness.StartAsync(new Swarm.Seeder.SeederOptions { MaxPeersPerAddress = 64 });
        _object = await _harness.PutAsync("obj.bin", _data);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private ReadOnlyMemory<byte> V1Hash => _harness.Torrent(_object, TorrentFormat.V1).Hashes.V1;

    private async Task<RawPeer> ConnectAsync(ReadOnlyMemory<byte> hash, bool fast = true, bool extensions = true)
    {
        var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendHandshakeAsync(hash, fast, extensions);
        var reply = await peer.ReadHandshakeAsync();
        Assert.Equal(hash.ToArray(), reply.InfoHash.ToArray());
        return peer;
    }

    private async Task<RawPeer> UnchokedAsync()
    {
        var peer = await ConnectAsync(V1Hash);
        await peer.SendAsync(default(InterestedMessage));
        await peer.ReadUntilAsync(PeerMessageId.Unchoke);
        return peer;
    }

    [Fact]
    public async Task AnUnknownInfoHashIsClosed()
    {
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendHandshakeAsync(new byte[20]);
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AServedHashIsEchoedWithHaveAllExtensionsAndUnchokeAfterInterested()
    {
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendHandshakeAsync(V1Hash);
        var reply = await peer.ReadHandshakeAsync();
        Assert.True(reply.SupportsFast);
        Assert.True(reply.SupportsExtensionProtocol);
        Assert.StartsWith("-PB0001-", System.Text.Encoding.ASCII.GetString(reply.PeerId.Span), StringComparison.Ordinal);
        Assert.Equal(PeerMessageId.HaveAll, (await peer.ReadMessageAsync()).Id);
        var (id, payload) = await peer.ReadMessageAsync();
        Assert.Equal(PeerMessageId.Extended, id);
        Assert.Equal(0, payload[0]);
        Assert.True(ExtendedHandshake.TryParse(payload.AsMemory(1), out var handshake, out _));
        Assert.Equal(_harness.Torrent(_object, TorrentFormat.V1).Info.Length, handshake.MetadataSize);
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, handshake.YourIp!.Value.ToArray());
        await peer.SendAsync(default(InterestedMessage));
        await peer.ReadUntilAsync(PeerMessageId.Unchoke);
    }

    [Fact]
    public async Task WithoutFastAFullBitfieldIsSent()
    {
        await using var peer = await ConnectAsync(V1Hash, fast: false, extensions: false);
        var (id, payload) = await peer.ReadMessageAsync();
        Assert.Equal(PeerMessageId.Bitfield, id);
        Assert.Equal(BitfieldMessage.AllSet(4).Bits.ToArray(), payload);
    }

    [Theory]
    [InlineData(0, 0, 16384)]
    [InlineData(1, 100, 5000)]
    [InlineData(3, 0, 4000)]
    [InlineData(3, 3999, 1)]
    public async Task ARequestReturnsExactlyTheObjectsBytesAtThatOffset(int index, int begin, int length)
    {
        await using var peer = await UnchokedAsync();
        await peer.SendAsync(new RequestMessage(index, begin, length));
        var payload = await peer.ReadUntilAsync(PeerMessageId.Piece);
        Assert.Equal(index, BinaryPrimitives.ReadInt32BigEndian(payload));
        Assert.Equal(begin, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
        Assert.Equal(_data.AsSpan((index * 32 * 1024) + begin, length).ToArray(), payload[8..]);

        // Counted once the send completed, which may be just after the peer read it.
        for (var i = 0; i < 50 && _harness.Stats.BytesSentFor("b", "obj.bin") < length; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(length, _harness.Stats.BytesSentFor("b", "obj.bin"));
    }

    [Fact]
    public async Task InterestedSentInTheSamePacketAsTheHandshakeIsAnswered()
    {
        // Found by bench 08: bytes that arrived with the handshake waited for more bytes before being read.
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        var handshake = new Handshake(Handshake.CreateReserved(fast: true, extensionProtocol: true), V1Hash.Span, "-TS0001-000000000002"u8);
        var bytes = new byte[Handshake.ByteCount + 5];
        handshake.Write(bytes);
        default(InterestedMessage).Write(bytes.AsSpan(Handshake.ByteCount));
        await peer.SendAsync(bytes);
        await peer.ReadHandshakeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await peer.ReadUntilAsync(PeerMessageId.Unchoke).WaitAsync(timeout.Token);
    }

    [Fact]
    public async Task ManyRequestsAtOnceContiguousOrNotComeBackWithTheirOwnBytes()
    {
        // Served in batches: contiguous runs (across piece boundaries, up to the short last block) read with one
        // scatter read, the rest one by one; every piece message must still carry exactly its own bytes.
        var requests = new List<RequestMessage>();
        for (var piece = 0; piece < 3; piece++)
        {
            requests.Add(new RequestMessage(piece, 0, 16384));
            requests.Add(new RequestMessage(piece, 16384, 16384));
        }

        requests.Add(new RequestMessage(3, 0, 4000));
        requests.Add(new RequestMessage(1, 100, 999));
        requests.Add(new RequestMessage(0, 16384, 16384));
        requests.Add(new RequestMessage(2, 5, 1));
        await using var peer = await UnchokedAsync();
        foreach (var request in requests)
        {
            await peer.SendAsync(request);
        }

        foreach (var request in requests)
        {
            var payload = await peer.ReadUntilAsync(PeerMessageId.Piece);
            Assert.Equal(request.Index, BinaryPrimitives.ReadInt32BigEndian(payload));
            Assert.Equal(request.Begin, BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4)));
            Assert.Equal(_data.AsSpan((request.Index * 32 * 1024) + request.Begin, request.Length).ToArray(), payload[8..]);
        }
    }

    [Fact]
    public async Task AV2OnlyPeerGetsTheLastPieceWholeWithZeroPadding()
    {
        await using var peer = await ConnectAsync(_harness.Torrent(_object, TorrentFormat.V2).Hashes.V2Truncated);
        await peer.SendAsync(default(InterestedMessage));
        await peer.ReadUntilAsync(PeerMessageId.Unchoke);
        await peer.SendAsync(new RequestMessage(3, 0, 16384));
        var payload = await peer.ReadUntilAsync(PeerMessageId.Piece);
        Assert.Equal([.. _data.AsSpan(3 * 32 * 1024), .. new byte[16384 - 4000]], payload[8..]);
    }

    [Fact]
    public async Task ARequestOver16KiBCloses()
    {
        await using var peer = await UnchokedAsync();
        await peer.SendAsync(new RequestMessage(0, 0, 32 * 1024));
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(3, 0, 4001)]
    [InlineData(4, 0, 1)]
    [InlineData(0, 32 * 1024, 1)]
    [InlineData(0, (32 * 1024) - 100, 200)]
    public async Task ARequestPastThePieceOrTheEndCloses(int index, int begin, int length)
    {
        await using var peer = await UnchokedAsync();
        await peer.SendAsync(new RequestMessage(index, begin, length));
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AChokedFastPeerGetsItsAllowedFastPiecesAndRejectsForTheRest()
    {
        const int pieces = 24;
        var data = RandomNumberGenerator.GetBytes((pieces - 1) * 32 * 1024 + 999);
        var obj = await _harness.PutAsync("many.bin", data);
        var hash = _harness.Torrent(obj, TorrentFormat.V1).Hashes.V1;
        var expected = AllowedFastSet.Compute([127, 0, 0, 1], hash.Span, pieces, 10);
        await using var peer = await ConnectAsync(hash);
        var allowed = new List<int>();
        while (allowed.Count < expected.Length)
        {
            var (id, payload) = await peer.ReadMessageAsync();
            if (id == PeerMessageId.AllowedFast)
            {
                allowed.Add(BinaryPrimitives.ReadInt32BigEndian(payload));
            }
        }

        Assert.Equal(expected, allowed);

        // Still choked (never interested): a piece outside the set is rejected, one inside is served.
        var outside = Enumerable.Range(0, pieces).First(i => !allowed.Contains(i));
        await peer.SendAsync(new RequestMessage(outside, 0, 16384));
        var rejected = await peer.ReadUntilAsync(PeerMessageId.RejectRequest);
        Assert.Equal(outside, BinaryPrimitives.ReadInt32BigEndian(rejected));
        var inside = allowed.First(i => i < pieces - 1); // the last piece is 999 bytes: no block at 16384
        await peer.SendAsync(new RequestMessage(inside, 16384, 16384));
        var piece = await peer.ReadUntilAsync(PeerMessageId.Piece);
        Assert.Equal(inside, BinaryPrimitives.ReadInt32BigEndian(piece));
        Assert.Equal(16384, BinaryPrimitives.ReadInt32BigEndian(piece.AsSpan(4)));
        var start = inside * 32 * 1024 + 16384;
        Assert.Equal(data.AsSpan(start, Math.Min(16384, data.Length - start)).ToArray(), piece.AsSpan(8, Math.Min(16384, data.Length - start)).ToArray());
    }

    [Fact]
    public async Task APeerWithoutTheFastExtensionGetsNoAllowedFastSet()
    {
        var obj = await _harness.PutAsync("many-nofast.bin", RandomNumberGenerator.GetBytes(24 * 32 * 1024));
        await using var peer = await ConnectAsync(_harness.Torrent(obj, TorrentFormat.V1).Hashes.V1, fast: false, extensions: false);
        var (id, _) = await peer.ReadMessageAsync();
        Assert.Equal(PeerMessageId.Bitfield, id);
        await peer.SendAsync(default(InterestedMessage));
        Assert.Equal(PeerMessageId.Unchoke, (await peer.ReadMessageAsync()).Id);
    }

    [Theory]
    [InlineData(TorrentFormat.V1)]
    [InlineData(TorrentFormat.Hybrid)]
    [InlineData(TorrentFormat.V2)]
    public async Task UtMetadataPiecesReassembleToTheInfoOfTheHashAskedFor(TorrentFormat format)
    {
        var torrent = _harness.Torrent(_object, format);
        var hash = torrent.Hashes.HasV1 ? torrent.Hashes.V1 : torrent.Hashes.V2Truncated;
        await using var peer = await ConnectAsync(hash);
        await peer.SendAsync(new ExtendedHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = 7 } }.ToMessage());
        var ours = await peer.ReadUntilAsync(PeerMessageId.Extended);
        Assert.True(ExtendedHandshake.TryParse(ours.AsMemory(1), out var handshake, out _));
        var theirId = handshake.Messages["ut_metadata"];
        var size = (int)handshake.MetadataSize!.Value;
        var metadata = new List<byte>();
        for (var piece = 0; piece < UtMetadataMessage.PieceCount(size); piece++)
        {
            await peer.SendAsync(UtMetadataMessage.Request(piece).ToExtendedMessage(theirId));
            var reply = await peer.ReadUntilAsync(PeerMessageId.Extended);
            Assert.Equal(7, reply[0]);
            Assert.True(UtMetadataMessage.TryParse(reply.AsMemory(1), out var data, out _));
            Assert.Equal(UtMetadataMessageType.Data, data.MessageType);
            metadata.AddRange(data.Data.ToArray());
        }

        var info = metadata.ToArray();
        var digest = torrent.Hashes.HasV1 ? SHA1.HashData(info) : SHA256.HashData(info)[..20];
        Assert.Equal(hash.ToArray(), digest);

        await peer.SendAsync(UtMetadataMessage.Request(99).ToExtendedMessage(theirId));
        var rejected = await peer.ReadUntilAsync(PeerMessageId.Extended);
        Assert.True(UtMetadataMessage.TryParse(rejected.AsMemory(1), out var reject, out _));
        Assert.Equal(UtMetadataMessageType.Reject, reject.MessageType);
    }

    [Fact]
    public async Task AHashRequestForThePieceLayerGetsHashes()
    {
        var torrent = _harness.Torrent(_object, TorrentFormat.Hybrid);
        await using var peer = await ConnectAsync(torrent.Hashes.V1);
        var request = new HashRequestMessage(torrent.Facts.PiecesRoot, MerkleProof.PieceLayer(32 * 1024), 0, 4, 0);
        await peer.SendAsync(request);
        var payload = await peer.ReadUntilAsync(PeerMessageId.Hashes);
        Assert.Equal(torrent.Facts.PieceLayer.ToArray(), payload[HashRequestMessage.PayloadSize..]);

        await peer.SendAsync(request with { Index = 2, Length = 4 });
        await peer.ReadUntilAsync(PeerMessageId.HashReject);
    }

    [Fact]
    public async Task AnObjectMadePrivateMidConnectionIsDropped()
    {
        await using var peer = await UnchokedAsync();
        await _harness.Store.Objects.SetAclAsync("b", "obj.bin", CannedAcl.Private);
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ADeletedOrOverwrittenObjectIsDropped()
    {
        var other = await _harness.PutAsync("other.bin", _data.AsSpan(0, 50_000).ToArray());
        await using var overwritten = await UnchokedAsync();
        await using var deleted = await ConnectAsync(_harness.Torrent(other, TorrentFormat.V1).Hashes.V1);
        await _harness.PutAsync("obj.bin", _data);
        _harness.Store.Release((await _harness.Store.Objects.DeleteAsync("b", "other.bin")).Released);
        Assert.True(await overwritten.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        Assert.True(await deleted.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task OtherPeersAreUnaffectedByAMisbehavingOne()
    {
        await using var good = await UnchokedAsync();
        await using var bad = await UnchokedAsync();
        await using var silent = await UnchokedAsync();
        await bad.SendAsync(new byte[] { 0, 0, 0, 3, 6, 0, 0 });
        Assert.True(await bad.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        for (var begin = 0; begin < 32 * 1024; begin += 16384)
        {
            await good.SendAsync(new RequestMessage(1, begin, 16384));
            var payload = await good.ReadUntilAsync(PeerMessageId.Piece);
            Assert.Equal(_data.AsSpan((32 * 1024) + begin, 16384).ToArray(), payload[8..]);
        }

        Assert.False(await silent.IsClosedWithinAsync(TimeSpan.FromMilliseconds(200)));
    }
}
