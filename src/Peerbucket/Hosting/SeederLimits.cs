using Peerbucket.Swarm.Seeder;

namespace Peerbucket.Hosting;

/// <summary>The seeder limits a user may set (configuration section <c>Peerbucket:Seeder</c> or the <c>serve</c>
/// flags); each null keeps <see cref="SeederOptions"/>' default.</summary>
internal sealed class SeederLimits
{
    /// <summary>Open peer connections at most.</summary>
    public int? MaxPeers { get; set; }

    /// <summary>Open peer connections per remote address at most (default: 8, or MaxPeers when bound to loopback).</summary>
    public int? MaxPeersPerAddress { get; set; }

    /// <summary>Open peer connections per IPv4 /24 or IPv6 /48 at most (default: 64, or MaxPeers when bound to loopback).</summary>
    public int? MaxPeersPerSubnet { get; set; }

    /// <summary>Queued block requests per peer at most (advertised as <c>reqq</c>).</summary>
    public int? MaxRequestsPerPeer { get; set; }

    /// <summary>Peers unchoked at once by upload rate (one optimistic unchoke comes on top).</summary>
    public int? UnchokeSlots { get; set; }

    /// <summary>Upload rate of the whole seeder in bytes per second; 0 = unlimited.</summary>
    public long? MaxUploadRate { get; set; }

    /// <summary>Upload rate per object (all its torrents' swarms) in bytes per second; 0 = unlimited.</summary>
    public long? MaxUploadRatePerObject { get; set; }

    /// <summary>The seeder options these limits give for a listener bound to <paramref name="loopback"/> or not.</summary>
    public SeederOptions ToOptions(bool loopback)
    {
        var defaults = new SeederOptions();
        var maxPeers = Positive(MaxPeers, defaults.MaxPeers, "max-peers");

        // Bound to loopback, every peer has a loopback address: a per-address or per-subnet limit would only be a lower total.
        var perAddressDefault = loopback ? maxPeers : defaults.MaxPeersPerAddress;
        var perSubnetDefault = loopback ? maxPeers : defaults.MaxPeersPerSubnet;
        return defaults with
        {
            MaxPeers = maxPeers,
            MaxPeersPerAddress = Positive(MaxPeersPerAddress, perAddressDefault, "max-peers-per-address"),
            MaxPeersPerSubnet = Positive(MaxPeersPerSubnet, perSubnetDefault, "max-peers-per-subnet"),
            MaxRequestsPerPeer = Positive(MaxRequestsPerPeer, defaults.MaxRequestsPerPeer, "max-requests-per-peer"),
            UnchokeSlots = Positive(UnchokeSlots, defaults.UnchokeSlots, "unchoke-slots"),
            MaxUploadRate = NotNegative(MaxUploadRate, "max-upload-rate"),
            MaxUploadRatePerObject = NotNegative(MaxUploadRatePerObject, "max-upload-rate-per-object"),
        };
    }

    private static int Positive(int? value, int fallback, string name) => value switch
    {
        null => fallback,
        > 0 => value.Value,
        _ => throw new ArgumentException($"--{name} must be at least 1 (got {value})."),
    };

    /// <summary>A rate option: unset is 0 (unlimited); a negative value is refused by its flag name.</summary>
    internal static long NotNegative(long? value, string name) => value switch
    {
        null => 0,
        >= 0 => value.Value,
        _ => throw new ArgumentException($"--{name} must be 0 (unlimited) or a rate in bytes per second (got {value})."),
    };
}
