namespace Peerbucket.Protocols.Metainfo;

/// <summary>The parts of a .torrent outside <c>info</c>: changing them keeps the info-hash.</summary>
public sealed record TorrentOptions
{
    /// <summary>BEP 3 <c>announce</c>. When null, the first URL of <see cref="AnnounceList"/> is written.</summary>
    public string? Announce { get; init; }

    /// <summary>BEP 12 <c>announce-list</c>: tiers of tracker URLs.</summary>
    public IReadOnlyList<IReadOnlyList<string>> AnnounceList { get; init; } = [];

    /// <summary>BEP 19 <c>url-list</c>: web seeds.</summary>
    public IReadOnlyList<string> UrlList { get; init; } = [];

    /// <summary><c>creation date</c> (Unix seconds) when set.</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary><c>created by</c> when set.</summary>
    public string? CreatedBy { get; init; }
}
