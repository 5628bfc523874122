using System.Net;

namespace Peerbucket.Swarm.Tracker;

public sealed class TrackerOptions
{
    /// <summary>Seconds a client should wait between announces.</summary>
    public int Interval { get; init; } = 900;

    /// <summary>Seconds a client must wait between announces.</summary>
    public int MinInterval { get; init; } = 60;

    /// <summary>The most peers one reply carries (libtorrent asks for 200).</summary>
    public int MaxNumWant { get; init; } = 200;

    /// <summary>Proxies whose X-Forwarded-For (and the announce's `ip`) are believed; nobody else's are.</summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; init; } = [];

    /// <summary>The store's own seeder, listed first in every reply; null when the seeder is off.</summary>
    public IPEndPoint? Seeder { get; init; }

    /// <summary>A peer silent for longer than this is dropped.</summary>
    public TimeSpan PeerTimeout => TimeSpan.FromSeconds(Interval * 2 + 60);
}
