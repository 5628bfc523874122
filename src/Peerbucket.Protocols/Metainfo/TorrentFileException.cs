using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>A .torrent that <see cref="TorrentFile.Parse"/> rejected, with the typed reason.</summary>
public sealed class TorrentFileException : FormatException
{
    public TorrentFileException(TorrentFileError error, string? key, string message)
        : base(key is null ? message : $"{message} (key '{key}')")
    {
        Error = error;
        Key = key;
    }

    public TorrentFileException(BencodeException inner)
        : base($"Invalid .torrent: {inner.Message}", inner)
    {
        Error = TorrentFileError.InvalidBencode;
        BencodeError = inner.Error;
        Offset = inner.Offset;
    }

    public TorrentFileError Error { get; }

    /// <summary>The offending key, when one is to blame.</summary>
    public string? Key { get; }

    /// <summary>The bencode error when <see cref="Error"/> is <see cref="TorrentFileError.InvalidBencode"/>.</summary>
    public BencodeError BencodeError { get; }

    /// <summary>Byte offset of a bencode error.</summary>
    public int Offset { get; }
}
