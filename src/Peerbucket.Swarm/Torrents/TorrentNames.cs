using System.Text;

namespace Peerbucket.Swarm.Torrents;

/// <summary>The names an object goes by in BitTorrent: info.name, the .torrent file name and the web-seed URL.</summary>
public static class TorrentNames
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

    /// <summary>The object's public URL, path-style, each segment percent-encoded (so '+' is %2B), no query string.</summary>
    public static string WebSeedUrl(Uri publicUrl, string bucket, string key)
    {
        var path = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return publicUrl.GetLeftPart(UriPartial.Authority) + publicUrl.AbsolutePath.TrimEnd('/') + "/" + bucket + "/" + path;
    }
}
