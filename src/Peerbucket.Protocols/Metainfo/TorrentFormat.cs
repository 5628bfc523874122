namespace Peerbucket.Protocols.Metainfo;

/// <summary>Which metainfo a torrent carries.</summary>
public enum TorrentFormat
{
    /// <summary>BEP 3: <c>pieces</c> (SHA-1), v1 info-hash.</summary>
    V1,

    /// <summary>BEP 52: <c>file tree</c> with SHA-256 merkle roots, v2 info-hash.</summary>
    V2,

    /// <summary>Both in one <c>info</c> dictionary: two info-hashes, one swarm for v1 and v2 clients.</summary>
    Hybrid,
}
