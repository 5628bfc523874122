using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Peerbucket.Swarm.WebSeed;

/// <summary>
/// Which client family a web-seed connection belongs to: each keeps a web seed only through a different "not now"
/// (read from their sources: libtorrent 2.0.8 web_peer_connection.cpp, aria2 1.36 HttpSkipResponseCommand.cc,
/// Transmission 3.00 webseed.c):
/// libtorrent (and qBittorrent) switch a single-file web seed off for good on any 4xx/5xx, but retry after
/// <c>urlseed_wait_retry</c> (30 s) when a 206 covers other bytes than asked, and connect again within a second when a
/// connection simply ends (keeping every piece that arrived whole); aria2 drops the URI on any error status
/// or range mismatch, but takes a slow stream; Transmission never drops a web seed and hands a failed range back to
/// its peers at once.
/// </summary>
public enum WebSeedClient
{
    /// <summary>libtorrent, qBittorrent, Deluge; also a connection whose first request had no User-Agent (libtorrent
    /// sends it on the first request of a connection only, and none in anonymous mode).</summary>
    Libtorrent,

    Aria2,

    Transmission,

    /// <summary>Anyone else: gets the protocol's own "busy", 503 with Retry-After (BEP 19 lets a client keep a busy seed).</summary>
    Other,
}

/// <summary>Tells the client families apart by User-Agent, remembered per connection.</summary>
internal static class WebSeedClients
{
    private const string ItemKey = "peerbucket.webseed.client";

    public static WebSeedClient Of(HttpContext http)
    {
        var items = http.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(ItemKey, out var known) && known is WebSeedClient remembered)
        {
            return remembered;
        }

        var client = Classify(http.Request.Headers.UserAgent.ToString());
        if (items is not null)
        {
            items[ItemKey] = client;
        }

        return client;
    }

    public static WebSeedClient Classify(string userAgent) => userAgent switch
    {
        "" => WebSeedClient.Libtorrent,
        _ when Contains(userAgent, "libtorrent") || Contains(userAgent, "qBittorrent") || Contains(userAgent, "Deluge") => WebSeedClient.Libtorrent,
        _ when userAgent.StartsWith("aria2", StringComparison.OrdinalIgnoreCase) => WebSeedClient.Aria2,
        _ when userAgent.StartsWith("Transmission", StringComparison.OrdinalIgnoreCase) => WebSeedClient.Transmission,
        _ => WebSeedClient.Other,
    };

    private static bool Contains(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);
}
