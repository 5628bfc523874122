using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>The thrifty seeder over real sockets: a lone peer is a seed's usual customer; a peer that joins while
/// another downloads (requests blocks) is super-seeded (BEP 16): no HaveAll, one piece announced at a time, and only that one served.</summary>
public sealed class SuperSeedingTests : IAsyncLifetime
{
    private readonly InMemorySwarmRegistry _tracker = new();
    private SeederHarness _harness = null!;
    private ObjectRecord _object = null!;

    public async Task InitializeAsync()
    {
        _harness = await SeederHarness.StartAsync(policy: OriginPolicy.Thrifty, tracker: _tracker);
        _object = await _harness.PutAsync("crowd.bin", Enumerable.Range(0, 8 * 32 * 1024).Select(i => (byte)(i * 31)).ToArray());
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    /// <summary>The ids of the messages before the unchoke (whose wait covers at least one offer round).</summary>
    private static async Task<List<PeerMessageId>> ReadUntilUnchokeAsync(RawPeer peer)
    {
        var seen = new List<PeerMessageId>();
        for (var (id, _) = await peer.ReadMessageAsync(); id != PeerMessageId.Unchoke; (id, _) = await peer.ReadMessageAsync())
        {
            seen.Add(id);
        }

        return seen;
    }

    /// <summary>The first downloader (announced, alone): told HaveAll, unchoked, and sent the first block of piece 0.</summary>
    private async Task<RawPeer> AFirstPeerGotItsFirstBlockAsync()
    {
        Announce(1);
        var first = await RawPeer.ConnectAsync(_harness.EndPoint);
        await first.SendHandshakeAsync(Hash, extensions: false);
        await first.ReadHandshakeAsync();
        Assert.Equal(PeerMessageId.HaveAll, (await first.ReadMessageAsync()).Id);
        await first.SendAsync(default(InterestedMessage));
        await first.ReadUntilAsync(PeerMessageId.Unchoke);
        await first.SendAsync(new RequestMessage(0, 0, 16384));
        await first.ReadUntilAsync(PeerMessageId.Piece);
        return first;
    }

    private void Announce(int peer) => _tracker.Announce(
        new PeerAnnounce(Hash.ToArray(), Enumerable.Repeat((byte)peer, 20).ToArray(), System.Net.IPAddress.Loopback, 7000 + peer, 0, 0,
            Left: 1000, SwarmEvent.Started, Key: null, NumWant: 0), DateTimeOffset.UtcNow);

    private ReadOnlyMemory<byte> Hash => _harness.Torrent(_object, TorrentFormat.V1).Hashes.V1;

    [Fact]
    public async Task APeerToldHaveAllGetsNoAllowedFastSetUnderTheThriftyPolicy()
    {
        // A piece its crowd holds is refused even to a choked peer; an allowed-fast piece refused has aria2 ask again at
        // once, thousands of times a second. (Under the fast policy the set is sent: SeederListenerTests.)
        Announce(1);
        await using var peer = await RawPeer.ConnectAsync(_harness.EndPoint);
        await peer.SendHandshakeAsync(Hash, extensions: false);
        await peer.ReadHandshakeAsync();
        Assert.Equal(PeerMessageId.HaveAll, (await peer.ReadMessageAsync()).Id);
        await peer.SendAsync(default(InterestedMessage));
        Assert.DoesNotContain(PeerMessageId.AllowedFast, await ReadUntilUnchokeAsync(peer));
    }

    [Fact]
    public async Task TheFirstPeerGetsHaveAllAndTheSecondOnePieceAtATime()
    {
        await using var first = await AFirstPeerGotItsFirstBlockAsync();

        Announce(2); // the tracker now knows two downloaders: they can find each other
        await using var second = await RawPeer.ConnectAsync(_harness.EndPoint);
        await second.SendHandshakeAsync(Hash, extensions: false);
        await second.ReadHandshakeAsync();
        Assert.Equal(PeerMessageId.HaveNone, (await second.ReadMessageAsync()).Id);
        var offer = await second.ReadUntilAsync(PeerMessageId.Have);
        Assert.True(HaveMessage.TryParse(offer, out var have, out _));
        Assert.InRange(have.PieceIndex, 0, 7);

        await second.SendAsync(default(InterestedMessage));
        Assert.DoesNotContain(PeerMessageId.Have, await ReadUntilUnchokeAsync(second));
        var other = (have.PieceIndex + 1) % 8;
        await second.SendAsync(new RequestMessage(other, 0, 16384));
        var rejected = await second.ReadUntilAsync(PeerMessageId.RejectRequest);
        Assert.True(RejectRequestMessage.TryParse(rejected, out var reject, out _));
        Assert.Equal(other, reject.Index);

        await second.SendAsync(new RequestMessage(have.PieceIndex, 0, 16384));
        var piece = await second.ReadUntilAsync(PeerMessageId.Piece);
        Assert.Equal(16384 + 8, piece.Length);
    }

    [Fact]
    public async Task APeerToldHaveAllThatAsksForAPieceThePeersHoldIsChokedNotDroppedAndUnchokedWithASuggestion()
    {
        await using var first = await AFirstPeerGotItsFirstBlockAsync(); // half of piece 0: the origin began it for this address

        Announce(2);
        await using var second = await RawPeer.ConnectAsync(_harness.EndPoint);
        await second.SendHandshakeAsync(Hash, extensions: false);
        await second.ReadHandshakeAsync();
        await second.SendAsync(new HaveMessage(5)); // a peer holds piece 5: the origin leaves it to the peers
        await second.SendAsync(default(InterestedMessage));
        await second.ReadUntilAsync(PeerMessageId.Unchoke);

        // A client that believes the seed has everything asks again at once: each ask is refused, and the peer is
        // choked instead of being refused hundreds of times a second (which the flood rule would end).
        var rejects = 0;
        while (true)
        {
            await first.SendAsync(new RequestMessage(5, 0, 16384));
            var (answer, body) = await first.ReadMessageAsync();
            if (answer == PeerMessageId.Choke)
            {
                break;
            }

            Assert.Equal(PeerMessageId.RejectRequest, answer);
            Assert.True(RejectRequestMessage.TryParse(body, out var reject, out _));
            Assert.Equal(5, reject.Index);
            Assert.InRange(++rejects, 1, new Peerbucket.Swarm.Seeder.SeederOptions().MaxRequestsPerPeer); // choked long before the flood rule
        }

        // Piece 0 is still the origin's to finish: within a second the peer is unchoked and pointed at it.
        await first.ReadUntilAsync(PeerMessageId.Unchoke);
        var (id, payload) = await first.ReadMessageAsync();
        Assert.Equal(PeerMessageId.SuggestPiece, id);
        Assert.True(SuggestPieceMessage.TryParse(payload, out var suggest, out _));
        Assert.Equal(0, suggest.PieceIndex);
        await first.SendAsync(new RequestMessage(0, 16384, 16384));
        Assert.Equal(16384 + 8, (await first.ReadUntilAsync(PeerMessageId.Piece)).Length);
        Assert.Equal(0, _harness.Stats.ClosedFor(Peerbucket.Swarm.Seeder.DisconnectReason.RequestFlood));
    }
}
