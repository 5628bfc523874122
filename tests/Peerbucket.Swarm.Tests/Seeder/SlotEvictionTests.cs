using System.Net;
using System.Security.Cryptography;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Protocols.PeerWire;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

/// <summary>A full seeder makes way for a new peer by closing one that asks for nothing; per-subnet limits.</summary>
public sealed class SlotEvictionTests
{
    [Fact]
    public async Task AFullSeederClosesAPeerThatNeverSaidItIsInterestedToLetANewOneIn()
    {
        await using var harness = await SeederHarness.StartAsync(new SeederOptions
        {
            MaxPeers = 2,
            MaxPeersPerAddress = 64,
            EvictableAfter = TimeSpan.FromMilliseconds(300),
        });
        var obj = await harness.PutAsync("e.bin", RandomNumberGenerator.GetBytes(64 * 1024));
        var hash = harness.Torrent(obj, TorrentFormat.V1).Hashes.V1;
        await using var silent = await HandshakenAsync(harness, hash);
        await using var downloader = await HandshakenAsync(harness, hash);
        await downloader.SendAsync(default(InterestedMessage));
        using var stop = new CancellationTokenSource();
        var requesting = KeepRequestingAsync(downloader, stop.Token);

        await Task.Delay(600);
        await using var newcomer = await RawPeer.ConnectAsync(harness.EndPoint);
        await newcomer.SendHandshakeAsync(hash);
        var reply = await newcomer.ReadHandshakeAsync();
        Assert.Equal(hash.ToArray(), reply.InfoHash.ToArray());

        Assert.True(await silent.IsClosedWithinAsync(TimeSpan.FromSeconds(5)), "the peer that never showed interest was kept");
        await CountedAsync(harness, DisconnectReason.Evicted); // counted when the session has finished closing
        Assert.Equal(0, harness.Stats.ClosedFor(DisconnectReason.TooManyConnections));
        await stop.CancelAsync();
        await requesting;
        Assert.False(await downloader.IsClosedWithinAsync(TimeSpan.FromMilliseconds(200)), "the downloading peer was evicted");
    }

    [Fact]
    public async Task AFullSeederWhosePeersAreNewOrDownloadingRefusesTheNewcomer()
    {
        await using var harness = await SeederHarness.StartAsync(new SeederOptions
        {
            MaxPeers = 1,
            MaxPeersPerAddress = 64,
            EvictableAfter = TimeSpan.FromSeconds(30),
        });
        var obj = await harness.PutAsync("r.bin", RandomNumberGenerator.GetBytes(16 * 1024));
        var hash = harness.Torrent(obj, TorrentFormat.V1).Hashes.V1;
        await using var first = await HandshakenAsync(harness, hash);
        await using var second = await RawPeer.ConnectAsync(harness.EndPoint);
        Assert.True(await second.IsClosedWithinAsync(TimeSpan.FromSeconds(5)), "a connection beyond --max-peers was kept");
        await CountedAsync(harness, DisconnectReason.TooManyConnections);
        Assert.Equal(0, harness.Stats.ClosedFor(DisconnectReason.Evicted));
        Assert.False(await first.IsClosedWithinAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task ConnectionsBeyondThePerSubnetLimitAreClosedWhateverTheirAddress()
    {
        await using var harness = await SeederHarness.StartAsync(new SeederOptions
        {
            MaxPeersPerAddress = 2,
            MaxPeersPerSubnet = 3,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        await using var a = await RawPeer.ConnectAsync(harness.EndPoint, IPAddress.Parse("127.0.0.1"));
        await using var b = await RawPeer.ConnectAsync(harness.EndPoint, IPAddress.Parse("127.0.0.1"));
        await using var c = await RawPeer.ConnectAsync(harness.EndPoint, IPAddress.Parse("127.0.0.2"));
        await using var d = await RawPeer.ConnectAsync(harness.EndPoint, IPAddress.Parse("127.0.0.3"));
        Assert.True(await d.IsClosedWithinAsync(TimeSpan.FromSeconds(5)), "a fourth connection from 127.0.0.0/24 was kept");
        await CountedAsync(harness, DisconnectReason.TooManyConnectionsFromSubnet);
        Assert.False(await c.IsClosedWithinAsync(TimeSpan.FromMilliseconds(200)));

        // Another /24 is another subnet.
        await using var e = await RawPeer.ConnectAsync(harness.EndPoint, IPAddress.Parse("127.0.1.1"));
        Assert.False(await e.IsClosedWithinAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("2001:db8:1234:5678::1", "2001:db8:1234::/48")]
    public void ASubnetIsTheIpv4Slash24OrTheIpv6Slash48(string address, string subnet) =>
        Assert.Equal(IPNetwork.Parse(subnet), SeederListener.SubnetOf(IPAddress.Parse(address)));

    /// <summary>Waits (up to 5 s) until exactly one close for <paramref name="reason"/> is counted.</summary>
    private static async Task CountedAsync(SeederHarness harness, DisconnectReason reason)
    {
        for (var i = 0; i < 50 && harness.Stats.ClosedFor(reason) == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, harness.Stats.ClosedFor(reason));
    }

    private static async Task<RawPeer> HandshakenAsync(SeederHarness harness, ReadOnlyMemory<byte> hash)
    {
        var peer = await RawPeer.ConnectAsync(harness.EndPoint);
        await peer.SendHandshakeAsync(hash);
        await peer.ReadHandshakeAsync();
        return peer;
    }

    private static async Task KeepRequestingAsync(RawPeer peer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await peer.SendAsync(new RequestMessage(0, 0, 16384));
            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
