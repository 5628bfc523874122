using System.Text;

namespace Peerbucket.Swarm.Torrents;

/// <summary>The names an object goes by in BitTorrent: info.name, the .torrent file name and the web-seed URL.</summary>
internal static class TorrentNames
{
    /// <summary>The key's last non-empty path segment, made a safe file name (never empty, never "." or "..").</summary>
    public static string FileName(string key)
    {
        var segment = key.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        var builder = new StringBuilder(segment.Length);
        foreach (var c in segment)
        {
            builder.Append(char.IsControl(c) || c == '\\' ? '_' : c);
        }

        var name = builder.ToString();
        return name is "" or "." or ".." ? "object" : name;
    }

    /// <summary>
    /// The web seed of a torrent: <c>{public URL}/_seed/{info-hash hex}/{file name}</c>, percent-encoded (so '+' is
    /// %2B), no query string (libtorrent and qBittorrent drop web seeds with one on loopback and LAN). It names the
    /// content, not the key: it serves that torrent's bytes only, and stops when they are no longer served.
    /// </summary>
    public static string WebSeedUrl(Uri publicUrl, ObjectTorrent torrent)
    {
        var hash = torrent.Hashes.HasV1 ? torrent.Hashes.V1.Span : torrent.Hashes.V2Truncated.Span;
        return publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/') + "/_seed/"
            + Convert.ToHexStringLower(hash) + "/" + Uri.EscapeDataString(torrent.Name);
    }
}
