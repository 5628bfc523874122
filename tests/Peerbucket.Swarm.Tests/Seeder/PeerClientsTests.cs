using System.Text;
using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Swarm.Tests.Seeder;

public sealed class PeerClientsTests
{
    [Theory]
    [InlineData("A2-1-37-0-0123456789", false)] // aria2 1.37.0 (its peer id prefix, as aria2c sends it)
    [InlineData("-LT2080-0123456789ab", true)] // libtorrent
    [InlineData("-TR3000-0123456789ab", true)] // Transmission
    [InlineData("-qB4630-0123456789ab", true)] // qBittorrent
    [InlineData("A2", true)] // too short to be aria2's
    public void OnlyClientsThatDropUninterestedConnectionsAreKeptFromSuperSeeding(string peerId, bool tolerates) =>
        Assert.Equal(tolerates, PeerClients.ToleratesSuperSeeding(Encoding.ASCII.GetBytes(peerId)));
}
