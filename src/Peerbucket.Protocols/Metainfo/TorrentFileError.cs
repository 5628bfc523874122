namespace Peerbucket.Protocols.Metainfo;

/// <summary>Why <see cref="TorrentFile.Parse"/> rejected a .torrent.</summary>
public enum TorrentFileError
{
    /// <summary>Not valid (strict) bencode; see <see cref="TorrentFileException.BencodeError"/>.</summary>
    InvalidBencode,

    /// <summary>The top level or <c>info</c> is not a dictionary.</summary>
    NotADictionary,

    /// <summary>A required key is missing.</summary>
    MissingKey,

    /// <summary>A key holds the wrong bencode type.</summary>
    WrongType,

    /// <summary>A value is out of range or has the wrong size.</summary>
    InvalidValue,

    /// <summary>A multi-file (or directory) torrent: only single-file torrents are supported.</summary>
    MultiFileNotSupported,

    /// <summary>The v1 and v2 parts of a hybrid torrent disagree.</summary>
    InconsistentHybrid,

    /// <summary><c>piece layers</c> missing, the wrong size, or not hashing to <c>pieces root</c>.</summary>
    InvalidPieceLayers,
}
