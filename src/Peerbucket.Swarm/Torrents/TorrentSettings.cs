using Peerbucket.Protocols.Metainfo;

namespace Peerbucket.Swarm.Torrents;

/// <summary>Deployment facts that go into every .torrent and magnet link (all outside the info dictionary).</summary>
public sealed class TorrentSettings
{
    /// <summary>How clients reach the S3 API; web-seed URLs are built on it.</summary>
    public required Uri PublicUrl { get; init; }

    /// <summary>The HTTP tracker's announce URL; null when the tracker is off.</summary>
    public string? HttpTracker { get; init; }

    /// <summary>The UDP tracker's URL; null when the tracker is off.</summary>
    public string? UdpTracker { get; init; }

    /// <summary>More trackers to list after the store's own, one tier each.</summary>
    public IReadOnlyList<string> ExtraTrackers { get; init; } = [];

    /// <summary>The seeder's address as host:port, for the magnet link's x.pe; null when not seeding.</summary>
    public string? PeerAddress { get; init; }

    /// <summary>A fixed piece length for new objects; 0 lets <see cref="PieceLengthRule"/> choose from the size.</summary>
    public long PieceLength { get; init; }

    public TorrentFormat DefaultFormat { get; init; } = TorrentFormat.V1;

    public IReadOnlyList<string> Trackers =>
        new[] { HttpTracker, UdpTracker }.OfType<string>().Concat(ExtraTrackers).ToList();
}
