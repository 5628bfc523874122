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
        Assert.Equal(40, new SeederLimits { MaxPeers = 40 }.ToOptions(loopback: true).MaxPeersPerAddress);
        Assert.Equal(3, new SeederLimits { MaxPeers = 40, MaxPeersPerAddress = 3 }.ToOptions(loopback: true).MaxPeersPerAddress);
        Assert.Equal(new SeederOptions().MaxPeersPerAddress, new SeederLimits { MaxPeers = 40 }.ToOptions(loopback: false).MaxPeersPerAddress);
    }

    [Fact]
    public void OnLoopbackThePerSubnetLimitFollowsTheTotalUnlessSet()
    {
        Assert.Equal(40, new SeederLimits { MaxPeers = 40 }.ToOptions(loopback: true).MaxPeersPerSubnet);
        Assert.Equal(5, new SeederLimits { MaxPeers = 40, MaxPeersPerSubnet = 5 }.ToOptions(loopback: true).MaxPeersPerSubnet);
        Assert.Equal(64, new SeederLimits().ToOptions(loopback: false).MaxPeersPerSubnet);
        Assert.Throws<ArgumentException>(() => new SeederLimits { MaxPeersPerSubnet = 0 }.ToOptions(loopback: false));
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
        Assert.Equal(100, options.MaxPeers);
        Assert.Equal(4, options.MaxPeersPerAddress);
        Assert.Equal(64, options.MaxRequestsPerPeer);
        Assert.Equal(3, options.UnchokeSlots);
        Assert.Equal(10_000_000, options.MaxUploadRate);
        Assert.Equal(2_000_000, options.MaxUploadRatePerObject);
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
