using System.Collections.Concurrent;
using System.Net;
using Peerbucket.Swarm.Torrents;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Origin;

/// <summary>
/// The origin's state per swarm (<see cref="SwarmOrigin"/>), shared by the seeder and the web seed, and the policy
/// that says whether to be thrifty with a swarm at all. Swarms nobody touched for a while are forgotten (bounded
/// memory); the tracker's leecher counts, when the tracker runs, tell who downloads beyond the origin's own view.
/// </summary>
public sealed class SwarmOrigins(OriginOptions options, ISwarmRegistry? tracker = null)
{
    private const int MaxSwarms = 10_000;
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, SwarmOrigin> _swarms = new(StringComparer.Ordinal);

    public OriginOptions Options => options;

    /// <summary>The origin budget (<see cref="OriginOptions.BudgetBytesPerSecond"/>), taken by the seeder and the web
    /// seed before each send, whatever the policy.</summary>
    internal UploadThrottle Budget { get; } = new(options.BudgetBytesPerSecond, options.BudgetBytesPerSecondPerObject);

    /// <summary>Whether the origin holds back for this object's swarms.</summary>
    public bool IsThrifty(ServedTorrent served) => options.For(served.Object.Bucket) == OriginPolicy.Thrifty;

    internal SwarmOrigin For(ReadOnlySpan<byte> infoHash, ServedTorrent served)
    {
        var key = Convert.ToHexString(infoHash);
        if (_swarms.TryGetValue(key, out var swarm))
        {
            return swarm;
        }

        if (_swarms.Count >= MaxSwarms)
        {
            foreach (var (idleKey, idle) in _swarms)
            {
                if (idle.Idle >= ForgetAfter)
                {
                    _swarms.TryRemove(KeyValuePair.Create(idleKey, idle));
                }
            }
        }

        var facts = served.Torrent.Facts;
        return _swarms.GetOrAdd(key, _ => new SwarmOrigin(facts.PieceCount, facts.PieceLength, facts.Length));
    }

    /// <summary>Whether the tracker lists a peer at <paramref name="address"/> in this swarm: a peer it does not list
    /// found the seeder some other way (an address given to it, DHT, PEX), and other peers may not find it. True when
    /// the tracker does not run (nothing to tell).</summary>
    internal bool TrackerLists(ReadOnlySpan<byte> infoHash, IPAddress address) => tracker?.Lists(infoHash, address) ?? true;

    /// <summary>Peers downloading and seeding according to the tracker (0 when it does not run).</summary>
    internal TrackerCounts Tracker(ReadOnlySpan<byte> infoHash) =>
        tracker?.Scrape(infoHash) is { } stats ? new TrackerCounts(stats.Leechers, stats.Seeders) : default;
}
