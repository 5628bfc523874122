using Peerbucket.Swarm.WebSeed;

namespace Peerbucket.Swarm.Tests.WebSeed;

public sealed class WebSeedPathTests
{
    [Theory]
    [InlineData("/_seed/0123456789abcdef0123456789abcdef01234567/big.iso", true)]
    [InlineData("/_seed/0123456789ABCDEF0123456789ABCDEF01234567/a%20b", true)]
    [InlineData("/_seed/0123456789abcdef0123456789abcdef01234567", true)]
    [InlineData("/_seed/0123456789abcdef0123456789abcdef0123456/x", false)]
    [InlineData("/_seed/0123456789abcdef0123456789abcdef012345678/x", false)]
    [InlineData("/_seed/zz23456789abcdef0123456789abcdef01234567/x", false)]
    [InlineData("/bucket/_seed/0123456789abcdef0123456789abcdef01234567/x", false)]
    [InlineData("/_seedx/0123456789abcdef0123456789abcdef01234567/x", false)]
    public void TheInfoHashIsFortyHexDigitsRightAfterThePrefix(string path, bool valid)
    {
        var hash = WebSeedEndpoint.ParseInfoHash(path);
        Assert.Equal(valid, hash is not null);
        if (valid)
        {
            Assert.Equal("0123456789abcdef0123456789abcdef01234567", Convert.ToHexStringLower(hash!));
        }
    }

    [Theory]
    [InlineData("libtorrent/2.0.8", WebSeedClient.Libtorrent)]
    [InlineData("qBittorrent/4.5.2", WebSeedClient.Libtorrent)]
    [InlineData("", WebSeedClient.Libtorrent)]
    [InlineData("aria2/1.36.0", WebSeedClient.Aria2)]
    [InlineData("Transmission/3.00", WebSeedClient.Transmission)]
    [InlineData("curl/7.88.1", WebSeedClient.Other)]
    public void ClientFamiliesAreToldApartByUserAgent(string userAgent, WebSeedClient expected) =>
        Assert.Equal(expected, WebSeedClients.Classify(userAgent));
}
