using System.Net;
using Peerbucket.Protocols.Tracker;
using Peerbucket.Storage.Accounting;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.Tracker;

/// <summary>
/// The tracker's logic, shared by HTTP and UDP: it tracks only info-hashes the store serves (public, current
/// objects), always lists the store's own seeder, and never hands a peer itself.
/// </summary>
/// What peers report (bytes downloaded, completed downloads) goes to the publisher's ledger, per object.
public sealed class TrackerService(ServedTorrents served, ISwarmRegistry registry, TrackerOptions options, TimeProvider clock,
    EgressMeter? ledger = null)
{
    public TrackerOptions Options => options;

    public TrackerOutcome Announce(AnnounceRequest request, IPAddress source, string? forwardedFor)
    {
        if (request.Port is < 1 or > 65535)
        {
            return TrackerOutcome.Refused(TrackerFailure.InvalidPort);
        }

        if (served.Find(request.InfoHash) is not { } torrent)
        {
            return TrackerOutcome.Refused(TrackerFailure.UnknownTorrent);
        }

        var address = PeerAddress(Normalize(source), request.Ip, forwardedFor);
        var numWant = Math.Clamp(request.NumWant < 0 ? AnnounceRequest.DefaultNumWant : request.NumWant, 0, options.MaxNumWant);
        var result = registry.Announce(new PeerAnnounce(
            request.InfoHash, request.PeerId, address, request.Port, request.Uploaded, request.Downloaded, request.Left,
            Event(request.Event), request.Key, numWant), clock.GetUtcNow());
        var (peers, stats) = result;
        if (ledger is not null)
        {
            var (bucket, key) = (torrent.Object.Bucket, torrent.Object.Key);
            ledger.AddPeerDownloaded(bucket, key, Math.Min(result.DownloadedAdded, torrent.Object.Size));
            if (result.CompletedNow)
            {
                ledger.AddCompletedDownload(bucket, key);
            }
        }

        var list = new List<PeerEndpoint>(peers.Count + 1);
        var seeder = options.Seeder;
        var isSeeder = seeder is not null && seeder.Port == request.Port && seeder.Address.Equals(address);
        if (seeder is not null && !isSeeder && numWant > 0)
        {
            list.Add(new PeerEndpoint(seeder.Address, (ushort)seeder.Port));
        }

        foreach (var peer in peers)
        {
            if (list.Count >= Math.Max(numWant, 1) || (seeder is not null && peer.Port == seeder.Port && peer.Address.Equals(seeder.Address)))
            {
                continue;
            }

            list.Add(new PeerEndpoint(peer.Address, (ushort)peer.Port, peer.PeerId));
        }

        return new TrackerOutcome(TrackerFailure.None, list, stats.Seeders + (seeder is null ? 0 : 1), stats.Leechers);
    }

    /// <summary>Scrape entries for the served hashes among <paramref name="infoHashes"/>; null when none is served.</summary>
    public IReadOnlyList<ScrapeFile>? Scrape(IReadOnlyList<byte[]> infoHashes, bool keepUnserved = false)
    {
        var files = new List<ScrapeFile>(infoHashes.Count);
        var any = false;
        foreach (var hash in infoHashes)
        {
            if (served.Find(hash) is null)
            {
                if (keepUnserved)
                {
                    files.Add(new ScrapeFile(hash, 0, 0, 0));
                }

                continue;
            }

            any = true;
            var stats = registry.Scrape(hash);
            files.Add(new ScrapeFile(hash, stats.Seeders + (options.Seeder is null ? 0 : 1), (int)Math.Min(stats.Completed, int.MaxValue), stats.Leechers));
        }

        return any ? files : null;
    }

    public SwarmStats Stats(ReadOnlySpan<byte> infoHash) => registry.Scrape(infoHash);

    private IPAddress PeerAddress(IPAddress source, string? ip, string? forwardedFor)
    {
        if (!options.TrustedProxies.Contains(source))
        {
            return source;
        }

        if (ip is not null && IPAddress.TryParse(ip, out var claimed))
        {
            return Normalize(claimed);
        }

        var first = forwardedFor?.Split(',')[0].Trim();
        return first is not null && IPAddress.TryParse(first, out var forwarded) ? Normalize(forwarded) : source;
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static SwarmEvent Event(AnnounceEvent value) => value switch
    {
        AnnounceEvent.Started => SwarmEvent.Started,
        AnnounceEvent.Completed => SwarmEvent.Completed,
        AnnounceEvent.Stopped => SwarmEvent.Stopped,
        _ => SwarmEvent.None,
    };
}
