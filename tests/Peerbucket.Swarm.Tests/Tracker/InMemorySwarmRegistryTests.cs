using System.Net;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Tests.Tracker;

public class InMemorySwarmRegistryTests
{
    private static readonly byte[] Hash = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PeerAnnounce Peer(int n, long? left = 100, SwarmEvent evt = SwarmEvent.Started, string? key = null, string ip = "127.0.0.2", int numWant = 50) =>
        new(Hash, PeerId(n), IPAddress.Parse(ip), 6000 + n, 0, 0, left, evt, key, numWant);

    private static byte[] PeerId(int n) => System.Text.Encoding.ASCII.GetBytes($"-TT0001-{n:D12}");

    [Fact]
    public void APeerNeverGetsItselfBack()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1), Now);
        var (peers, stats) = registry.Announce(Peer(1), Now);
        Assert.Empty(peers);
        Assert.Equal(1, stats.Leechers);
    }

    [Fact]
    public void PeersSeeEachOtherAndSeedersAreCounted()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1, left: 0), Now);
        var (peers, stats) = registry.Announce(Peer(2), Now);
        var only = Assert.Single(peers);
        Assert.Equal(6001, only.Port);
        Assert.Equal(new SwarmStats(1, 1, 0, 0, 0), stats);
    }

    [Fact]
    public void StoppedRemovesThePeer()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1), Now);
        registry.Announce(Peer(1, evt: SwarmEvent.Stopped), Now);
        Assert.Equal(0, registry.PeerCount);
        Assert.Equal(default, registry.Scrape(Hash) with { Completed = 0 });
    }

    [Fact]
    public void CompletedCountsOncePerPeer()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1, left: 0, evt: SwarmEvent.Completed), Now);
        registry.Announce(Peer(1, left: 0, evt: SwarmEvent.Completed), Now);
        Assert.Equal(1, registry.Scrape(Hash).Completed);
    }

    [Fact]
    public void AKeyLetsAPeerChangeAddressWithoutADuplicate()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1, key: "k1", ip: "127.0.0.2"), Now);
        registry.Announce(Peer(1, key: "k1", ip: "127.0.0.3"), Now);
        Assert.Equal(1, registry.PeerCount);
        var (peers, _) = registry.Announce(Peer(2), Now);
        Assert.Equal(IPAddress.Parse("127.0.0.3"), Assert.Single(peers).Address);
    }

    [Fact]
    public void OneClientAnnouncingOverHttpAndUdpIsOneLeecher()
    {
        // libtorrent: HTTP "&key=1A2B3C4D", UDP key 0x1a2b3c4d (rendered lower-case by the UDP parser).
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1, key: "1A2B3C4D"), Now);
        var (_, stats) = registry.Announce(Peer(1, key: "1a2b3c4d"), Now);
        Assert.Equal(1, stats.Leechers);
        Assert.Equal(1, registry.PeerCount);
    }

    [Fact]
    public void WithoutAKeyANewAddressIsAnotherPeer()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1, ip: "127.0.0.2"), Now);
        registry.Announce(Peer(1, ip: "127.0.0.3"), Now);
        Assert.Equal(2, registry.PeerCount);
    }

    private static string Address(int n) => $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";

    [Fact]
    public void FloodingOneSwarmFromManyAddressesStaysWithinItsCap()
    {
        var registry = new InMemorySwarmRegistry(maxPeersPerSwarm: 50, maxPeers: 1000);
        for (var i = 0; i < 5000; i++)
        {
            registry.Announce(Peer(i, ip: Address(i)), Now.AddSeconds(i));
        }

        Assert.Equal(50, registry.PeerCount);
        var (peers, _) = registry.Announce(Peer(100_000, numWant: 100), Now.AddSeconds(6000));
        Assert.Equal(49, peers.Count); // the asker took the place of the newest one-off announcer
        Assert.Equal(50, registry.PeerCount);
    }

    /// <summary>The probe: 2,000 fake announces from one address left the real peers out of 10 of 10
    /// answers. Now one address holds at most <see cref="InMemorySwarmRegistry.MaxPeersPerAddress"/> entries of a
    /// swarm, replacing its own.</summary>
    [Fact]
    public void OneAddressCannotFlushASwarm()
    {
        var registry = new InMemorySwarmRegistry();
        var real = Enumerable.Range(1, 10).ToList();
        foreach (var n in real)
        {
            registry.Announce(Peer(n, ip: $"192.0.2.{n}"), Now);
        }

        for (var i = 0; i < 5000; i++)
        {
            registry.Announce(Peer(1000 + i, ip: "198.51.100.66"), Now.AddSeconds(1));
        }

        Assert.Equal(10 + registry.MaxPeersPerAddress, registry.PeerCount);
        var (peers, _) = registry.Announce(Peer(100_000, ip: "203.0.113.1", numWant: 200), Now.AddSeconds(2));
        Assert.All(real, n => Assert.Contains(peers, p => p.Port == 6000 + n));
    }

    /// <summary>A flood from many addresses (each announcing once) replaces its own newest entries, not the peers that
    /// have announced again.</summary>
    [Fact]
    public void AFullSwarmReplacesTheNewestUnverifiedPeersBeforeTheLongLivedOnes()
    {
        var registry = new InMemorySwarmRegistry(maxPeersPerSwarm: 50, maxPeers: 1000);
        var real = Enumerable.Range(1, 10).ToList();
        foreach (var n in real)
        {
            registry.Announce(Peer(n, ip: $"192.0.2.{n}"), Now);
            registry.Announce(Peer(n, ip: $"192.0.2.{n}", evt: SwarmEvent.None), Now.AddMinutes(1));
        }

        for (var i = 0; i < 5000; i++)
        {
            registry.Announce(Peer(1000 + i, ip: Address(i)), Now.AddMinutes(2));
        }

        Assert.Equal(50, registry.PeerCount);
        var (peers, _) = registry.Announce(Peer(100_000, ip: "203.0.113.1", numWant: 200), Now.AddMinutes(3));
        Assert.All(real, n => Assert.Contains(peers, p => p.Port == 6000 + n));
    }

    [Fact]
    public void APeerMovingAddressWithItsKeyIsCountedAtTheNewOne()
    {
        var registry = new InMemorySwarmRegistry(maxPeersPerAddress: 2);
        registry.Announce(Peer(1, key: "k1", ip: "192.0.2.1"), Now);
        registry.Announce(Peer(1, key: "k1", ip: "192.0.2.9", evt: SwarmEvent.None), Now.AddSeconds(1));
        registry.Announce(Peer(2, ip: "192.0.2.1"), Now.AddSeconds(2));
        registry.Announce(Peer(3, ip: "192.0.2.1"), Now.AddSeconds(3));
        Assert.Equal(3, registry.PeerCount); // 192.0.2.1 holds two, its cap; the moved peer counts at 192.0.2.9
        registry.Announce(Peer(4, ip: "192.0.2.1"), Now.AddSeconds(4));
        var (peers, _) = registry.Announce(Peer(100, ip: "203.0.113.1"), Now.AddSeconds(5));
        Assert.Equal([6001, 6003, 6004], peers.Select(p => p.Port).Order());
    }

    [Fact]
    public void TheTotalCapIsNeverExceeded()
    {
        var registry = new InMemorySwarmRegistry(maxPeersPerSwarm: 1000, maxPeers: 10);
        for (var i = 0; i < 100; i++)
        {
            var hash = new byte[20];
            hash[0] = (byte)i;
            registry.Announce(Peer(i) with { InfoHash = hash }, Now);
        }

        Assert.Equal(10, registry.PeerCount);
    }

    [Fact]
    public void ExpiryDropsSilentPeers()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1), Now);
        registry.Announce(Peer(2), Now.AddMinutes(10));
        registry.Expire(Now.AddMinutes(5));
        Assert.Equal(1, registry.PeerCount);
    }

    [Fact]
    public void UploadedAndDownloadedAreSummedAsDeltas()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1) with { Uploaded = 100, Downloaded = 1000 }, Now);
        registry.Announce(Peer(1) with { Uploaded = 150, Downloaded = 3000 }, Now);
        registry.Announce(Peer(2) with { Uploaded = 10, Downloaded = 20 }, Now);
        var stats = registry.Scrape(Hash);
        Assert.Equal(160, stats.Uploaded);
        Assert.Equal(3020, stats.Downloaded);
    }

    [Fact]
    public void EachAnnounceSaysWhatItAddedIncludingTheStoppedOne()
    {
        var registry = new InMemorySwarmRegistry();
        Assert.Equal((1000L, false), Added(registry.Announce(Peer(1) with { Downloaded = 1000 }, Now)));
        Assert.Equal((0L, false), Added(registry.Announce(Peer(1, evt: SwarmEvent.None) with { Downloaded = 900 }, Now)));
        Assert.Equal((2000L, true), Added(registry.Announce(Peer(1, left: 0, evt: SwarmEvent.Completed) with { Downloaded = 3000 }, Now)));
        Assert.Equal((0L, false), Added(registry.Announce(Peer(1, left: 0, evt: SwarmEvent.Completed) with { Downloaded = 3000 }, Now)));
        Assert.Equal((500L, false), Added(registry.Announce(Peer(1, left: 0, evt: SwarmEvent.Stopped) with { Downloaded = 3500 }, Now)));
        Assert.Equal((0L, false), Added(registry.Announce(Peer(2, evt: SwarmEvent.Stopped) with { Downloaded = 77 }, Now)));
        Assert.Equal(3500, registry.Scrape(Hash).Downloaded);

        static (long, bool) Added(AnnounceResult result) => (result.DownloadedAdded, result.CompletedNow);
    }

    [Fact]
    public void RetiredSwarmsAreGone()
    {
        var registry = new InMemorySwarmRegistry();
        registry.Announce(Peer(1), Now);
        registry.RetireWhere(h => h.AsSpan().SequenceEqual(Hash));
        Assert.Equal(0, registry.PeerCount);
        Assert.Equal(default, registry.Scrape(Hash));
    }
}
