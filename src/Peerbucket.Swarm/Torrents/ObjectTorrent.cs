using System.Text;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage.Model;

namespace Peerbucket.Swarm.Torrents;

/// <summary>One object in one torrent format: its info dictionary, info-hashes and .torrent file.</summary>
public sealed class ObjectTorrent
{
    private ObjectTorrent(string name, TorrentFacts facts, TorrentFormat format, byte[] info)
    {
        Name = name;
        Facts = facts;
        Format = format;
        Info = info;
        Hashes = InfoHashes.Compute(info, format);
    }

    public string Name { get; }
    public TorrentFacts Facts { get; }
    public TorrentFormat Format { get; }
    public byte[] Info { get; }
    public InfoHashes Hashes { get; }

    /// <summary>Null for objects that have no torrent: zero bytes long (BitTorrent clients refuse empty torrents).</summary>
    public static ObjectTorrent? For(string key, TorrentFacts facts, TorrentFormat format)
    {
        if (facts.Length == 0)
        {
            return null;
        }

        var name = TorrentNames.FileName(key);
        return new ObjectTorrent(name, facts, format, TorrentBuilder.BuildInfo(Encoding.UTF8.GetBytes(name), facts, format));
    }

    public byte[] File(ObjectRecord obj, TorrentSettings settings)
    {
        var trackers = settings.Trackers;
        return TorrentBuilder.BuildTorrent(Facts, Format, Encoding.UTF8.GetBytes(Name), new TorrentOptions
        {
            Announce = trackers.FirstOrDefault(),
            AnnounceList = trackers.Select(t => (IReadOnlyList<string>)[t]).ToList(),
            UrlList = [TorrentNames.WebSeedUrl(settings.PublicUrl, this)],
            CreationDate = obj.LastModified,
            CreatedBy = "Peerbucket",
        });
    }

    /// <summary>The BEP 52 multihash form of the v2 info-hash (sha2-256, 32 bytes: "1220" + hex).</summary>
    public string? V2Multihash => Hashes.HasV2 ? "1220" + Hashes.V2Hex : null;
}
