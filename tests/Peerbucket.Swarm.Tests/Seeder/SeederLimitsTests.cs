using System.Security.Cryptography;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>Timeouts and connection limits, with short settings.</summary>
public sealed class SeederLimitsTests
{
    private static readonly SeederOptions Short = new()
    {
        HandshakeTimeout = TimeSpan.FromMilliseconds(500),
        WriteTimeout = TimeSpan.FromSeconds(1),
        MaxPeersPerAddress = 2,
    };

    [Fact]
    public async Task APeerThatNeverHandshakesIsClosed()
    {
        await using var harness = await SeederHarness.StartAsync(Short);
        await using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task ConnectionsBeyondThePerAddressLimitAreClosedAtAccept()
    {
        await using var harness = await SeederHarness.StartAsync(Short with { HandshakeTimeout = TimeSpan.FromSeconds(10) });
        await using var first = await RawPeer.ConnectAsync(harness.EndPoint);
        await using var second = await RawPeer.ConnectAsync(harness.EndPoint);
        Assert.True(await IsRefusedAsync(harness), "a third connection from one address was not closed");
        Assert.False(await first.IsClosedWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task APeerThatRequestsButNeverReadsIsClosedByTheWriteTimeout()
    {
        await using var harness = await SeederHarness.StartAsync(Short with { HandshakeTimeout = TimeSpan.FromSeconds(10) });
        var obj = await harness.PutAsync("big.bin", RandomNumberGenerator.GetBytes(1024 * 1024));
        await using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        await peer.SendHandshakeAsync(harness.Torrent(obj, TorrentFormat.V1).Hashes.V1);
        await peer.ReadHandshakeAsync();
        await peer.SendAsync(default(InterestedMessage));
        await peer.ReadUntilAsync(PeerMessageId.Unchoke);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var closed = false;
        while (!closed && DateTime.UtcNow < deadline)
        {
            try
            {
                // Slowly enough that refused requests (queue full) never add up to a flood before the timeout.
                for (var i = 0; i < 16; i++)
                {
                    await peer.SendAsync(new RequestMessage(i % 32, 0, 16384));
                }
            }
            catch (IOException)
            {
                closed = true;
            }

            closed |= harness.Stats.OpenConnections == 0;
            await Task.Delay(200);
        }

        Assert.True(closed, "the seeder kept a peer that never reads");
        for (var i = 0; i < 50 && harness.Stats.ClosedFor(DisconnectReason.WriteTimeout) == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, harness.Stats.ClosedFor(DisconnectReason.WriteTimeout));
    }

    [Fact]
    public async Task TheChokerUnchokesTheRegularSlotsPlusOneOptimisticAndRejectsTheRest()
    {
        // Two pieces: with an allowed fast set every piece would be fetchable while choked, so none here. These peers
        // ask for nothing: with the default 3 s grace a slow run would sweep them idle (and the waiting peer with them,
        // skipping its unchoke and choke before its request), and a 10 s round could reshuffle the slots; both are
        // tested elsewhere, so neither timer runs within this test.
        await using var harness = await SeederHarness.StartAsync(new SeederOptions
        {
            UnchokeSlots = 1,
            AllowedFastSetSize = 0,
            UnchokeGrace = TimeSpan.FromMinutes(5),
            ChokeInterval = TimeSpan.FromMinutes(5),
        });
        var obj = await harness.PutAsync("c.bin", RandomNumberGenerator.GetBytes(40_000));
        var hash = harness.Torrent(obj, TorrentFormat.V1).Hashes.V1;
        var peers = new List<RawPeer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var peer = await RawPeer.ConnectAsync(harness.EndPoint);
                peers.Add(peer);
                await peer.SendHandshakeAsync(hash);
                await peer.ReadHandshakeAsync();
                await peer.SendAsync(default(InterestedMessage));
            }

            await peers[0].ReadUntilAsync(PeerMessageId.Unchoke);
            await peers[1].ReadUntilAsync(PeerMessageId.Unchoke);
            await peers[2].SendAsync(new RequestMessage(0, 0, 16384));
            await peers[2].ReadUntilAsync(PeerMessageId.RejectRequest);

            // A slot freed by a leaving peer goes to the waiting one.
            await peers[0].DisposeAsync();
            peers.RemoveAt(0);
            await peers[1].ReadUntilAsync(PeerMessageId.Unchoke);
        }
        finally
        {
            foreach (var peer in peers)
            {
                await peer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task APeerThatKeepsRequestingWhileChokedIsCutOffAsAFlood()
    {
        await using var harness = await SeederHarness.StartAsync(new SeederOptions { MaxRequestsPerPeer = 8, AllowedFastSetSize = 0 });
        var obj = await harness.PutAsync("flood.bin", RandomNumberGenerator.GetBytes(64 * 1024));
        await using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        await peer.SendHandshakeAsync(harness.Torrent(obj, TorrentFormat.V1).Hashes.V1);
        await peer.ReadHandshakeAsync();

        // Never interested, so never unchoked: every request is refused; 16 in a row are still a client racing a choke.
        for (var i = 0; i < 16; i++)
        {
            await peer.SendAsync(new RequestMessage(0, 0, 16384));
        }

        Assert.False(await peer.IsClosedWithinAsync(TimeSpan.FromMilliseconds(300)));
        try
        {
            for (var i = 0; i < 64; i++)
            {
                await peer.SendAsync(new RequestMessage(1, 0, 16384));
            }
        }
        catch (IOException)
        {
            // closed while we were still sending: what the test wants
        }

        Assert.True(await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5)));
        await WaitForAsync(() => harness.Stats.ClosedFor(DisconnectReason.RequestFlood) == 1);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }

    /// <summary>Whether a new connection is closed at once. The seeder resets it (linger 0), which on a loaded machine
    /// can land before the client's connect returns: that is a close too.</summary>
    private static async Task<bool> IsRefusedAsync(SeederHarness harness)
    {
        try
        {
            await using var peer = await RawPeer.ConnectAsync(harness.EndPoint);
            return await peer.IsClosedWithinAsync(TimeSpan.FromSeconds(5));
        }
        catch (System.Net.Sockets.SocketException error) when (error.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
