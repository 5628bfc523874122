using Peerbucket.Hosting;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Tests;

public sealed class SeederLimitsTests
{
    [Fact]
    public void UnsetLimitsKeepTheSeedersDefaults()
    {
        var defaults = new SeederOptions();
        var options = new SeederLimits().ToOptions(loopback: false);
        Assert.Equal(defaults, options);
    }

    [Fact]
    public void OnLoopbackThePerAddressLimitFollowsTheTotalUnlessSet()
    {
        Assert.Equal(40, new SeederLimits { MaxPeers = 40 }.ToOptions(loopback: true).MaxConnectionsPerAddress);
        Assert.Equal(3, new SeederLimits { MaxPeers = 40, MaxPeersPerAddress = 3 }.ToOptions(loopback: true).MaxConnectionsPerAddress);
        Assert.Equal(new SeederOptions().MaxConnectionsPerAddress, new SeederLimits { MaxPeers = 40 }.ToOptions(loopback: false).MaxConnectionsPerAddress);
    }

    [Fact]
    public void EverySetLimitReachesTheSeeder()
    {
        var options = new SeederLimits
        {
            MaxPeers = 100,
            MaxPeersPerAddress = 4,
            MaxRequestsPerPeer = 64,
            UnchokeSlots = 3,
            MaxUploadRate = 10_000_000,
            MaxUploadRatePerObject = 2_000_000,
        }.ToOptions(loopback: false);
        Assert.Equal(100, options.MaxConnections);
        Assert.Equal(4, options.MaxConnectionsPerAddress);
        Assert.Equal(64, options.MaxOutstandingRequestsPerPeer);
        Assert.Equal(3, options.MaxUnchoked);
        Assert.Equal(10_000_000, options.MaxUploadRate);
        Assert.Equal(2_000_000, options.MaxUploadRatePerTorrent);
    }

    [Theory]
    [InlineData(0, null, null, null, "--max-peers")]
    [InlineData(null, -1, null, null, "--max-peers-per-address")]
    [InlineData(null, null, 0, null, "--max-requests-per-peer")]
    [InlineData(null, null, null, -5L, "--max-upload-rate")]
    public void NonsenseLimitsAreRefusedByName(int? maxPeers, int? perAddress, int? requests, long? rate, string flag)
    {
        var limits = new SeederLimits { MaxPeers = maxPeers, MaxPeersPerAddress = perAddress, MaxRequestsPerPeer = requests, MaxUploadRate = rate };
        var error = Assert.Throws<ArgumentException>(() => limits.ToOptions(loopback: false));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }
}
