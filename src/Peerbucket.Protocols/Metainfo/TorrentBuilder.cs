using System.Buffers;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>Builds single-file v1, v2 and hybrid <c>info</c> dictionaries and whole .torrent files.</summary>
public static class TorrentBuilder
{
    private static ReadOnlySpan<byte> FileTreeKey => "file tree"u8;

    private static ReadOnlySpan<byte> LengthKey => "length"u8;

    private static ReadOnlySpan<byte> MetaVersionKey => "meta version"u8;

    private static ReadOnlySpan<byte> NameKey => "name"u8;

    private static ReadOnlySpan<byte> PieceLengthKey => "piece length"u8;

    private static ReadOnlySpan<byte> PiecesKey => "pieces"u8;

    private static ReadOnlySpan<byte> PiecesRootKey => "pieces root"u8;

    /// <summary>
    /// The bencoded <c>info</c> dictionary. v1: <c>length</c>, <c>name</c>, <c>piece length</c>, <c>pieces</c>;
    /// v2: <c>file tree</c> {name: {"": {length, pieces root}}}, <c>meta version</c> 2, <c>name</c>,
    /// <c>piece length</c>; hybrid: all of them. Throws <see cref="ArgumentException"/> for an empty file
    /// (clients refuse empty torrents), facts hashed without what the format needs (<see cref="TorrentFacts.HasV1"/>,
    /// <see cref="TorrentFacts.HasV2"/>) or an invalid name (empty, <c>.</c>, <c>..</c>, containing <c>/</c> or NUL).
    /// </summary>
    public static byte[] BuildInfo(ReadOnlySpan<byte> name, TorrentFacts facts, TorrentFormat format)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Length == 0)
        {
            throw new ArgumentException("A torrent cannot describe an empty file.", nameof(facts));
        }

        ValidateName(name);
        var buffer = new ArrayBufferWriter<byte>();
        var w = new BencodeWriter(buffer);
        var v1 = format is TorrentFormat.V1 or TorrentFormat.Hybrid;
        var v2 = format is TorrentFormat.V2 or TorrentFormat.Hybrid;
        if (!v1 && !v2)
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, null);
        }

        if ((v1 && !facts.HasV1) || (v2 && !facts.HasV2))
        {
            throw new ArgumentException($"A {format} torrent needs {(v1 && !facts.HasV1 ? "v1 (SHA-1)" : "v2 (SHA-256)")} hashes these facts were hashed without.", nameof(facts));
        }

        w.WriteDictionaryStart();
        if (v2)
        {
            w.WriteString(FileTreeKey);
            w.WriteDictionaryStart();
            w.WriteString(name);
            w.WriteDictionaryStart();
            w.WriteString(ReadOnlySpan<byte>.Empty);
            w.WriteDictionaryStart();
            w.WriteString(LengthKey);
            w.WriteInteger(facts.Length);
            w.WriteString(PiecesRootKey);
            w.WriteString(facts.PiecesRoot.Span);
            w.WriteEnd();
            w.WriteEnd();
            w.WriteEnd();
        }

        if (v1)
        {
            w.WriteString(LengthKey);
            w.WriteInteger(facts.Length);
        }

        if (v2)
        {
            w.WriteString(MetaVersionKey);
            w.WriteInteger(2);
        }

        w.WriteString(NameKey);
        w.WriteString(name);
        w.WriteString(PieceLengthKey);
        w.WriteInteger(facts.PieceLength);
        if (v1)
        {
            w.WriteString(PiecesKey);
            w.WriteString(facts.Sha1Pieces.Span);
        }

        w.WriteEnd();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A whole .torrent: <c>announce</c>, <c>announce-list</c>, <c>created by</c>, <c>creation date</c>,
    /// <c>info</c>, <c>piece layers</c> (v2/hybrid, files longer than one piece), <c>url-list</c>, in that
    /// (raw byte) order, each only when it has a value.
    /// </summary>
    public static byte[] BuildTorrent(TorrentFacts facts, TorrentFormat format, ReadOnlySpan<byte> name, TorrentOptions? options = null)
    {
        options ??= new TorrentOptions();
        var info = BuildInfo(name, facts, format);
        var buffer = new ArrayBufferWriter<byte>(info.Length + 256);
        var w = new BencodeWriter(buffer);
        w.WriteDictionaryStart();
        var announce = options.Announce
            ?? options.AnnounceList.SelectMany(tier => tier).FirstOrDefault();
        if (announce is not null)
        {
            w.WriteString("announce"u8);
            w.WriteString(announce);
        }

        var tiers = options.AnnounceList.Where(tier => tier.Count > 0).ToList();
        if (tiers.Count > 0)
        {
            w.WriteString("announce-list"u8);
            w.WriteListStart();
            foreach (var tier in tiers)
            {
                w.WriteListStart();
                foreach (var url in tier)
                {
                    w.WriteString(url);
                }

                w.WriteEnd();
            }

            w.WriteEnd();
        }

        if (options.CreatedBy is not null)
        {
            w.WriteString("created by"u8);
            w.WriteString(options.CreatedBy);
        }

        if (options.CreationDate is { } created)
        {
            w.WriteString("creation date"u8);
            w.WriteInteger(created.ToUnixTimeSeconds());
        }

        w.WriteString("info"u8);
        w.WriteEncodedValue(info);
        if (format is TorrentFormat.V2 or TorrentFormat.Hybrid && !facts.PieceLayer.IsEmpty)
        {
            w.WriteString("piece layers"u8);
            w.WriteDictionaryStart();
            w.WriteString(facts.PiecesRoot.Span);
            w.WriteString(facts.PieceLayer.Span);
            w.WriteEnd();
        }

        if (options.UrlList.Count > 0)
        {
            w.WriteString("url-list"u8);
            w.WriteListStart();
            foreach (var url in options.UrlList)
            {
                w.WriteString(url);
            }

            w.WriteEnd();
        }

        w.WriteEnd();
        return buffer.WrittenSpan.ToArray();
    }

    private static void ValidateName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.SequenceEqual("."u8) || name.SequenceEqual(".."u8) || name.IndexOfAny((byte)'/', (byte)0) >= 0)
        {
            throw new ArgumentException("A torrent name must be one non-empty path component without '/' or NUL, not '.' or '..'.", nameof(name));
        }
    }
}
