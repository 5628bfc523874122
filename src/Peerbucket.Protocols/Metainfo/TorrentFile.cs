using System.Text;
using Peerbucket.Protocols.Bencode;

namespace Peerbucket.Protocols.Metainfo;

/// <summary>A parsed single-file .torrent (v1, v2 or hybrid). Info-hashes are over the exact <c>info</c> bytes.</summary>
public sealed class TorrentFile
{
    private TorrentFile()
    {
    }

    public TorrentFormat Format { get; private init; }

    /// <summary>Raw <c>name</c> bytes (not necessarily UTF-8).</summary>
    public ReadOnlyMemory<byte> Name { get; private init; }

    /// <summary><see cref="Name"/> decoded as UTF-8 for display.</summary>
    public string DisplayName => Encoding.UTF8.GetString(Name.Span);

    public long Length { get; private init; }

    public long PieceLength { get; private init; }

    public long PieceCount => PieceLengthRule.PieceCount(Length, PieceLength);

    public InfoHashes InfoHashes { get; private init; } = null!;

    /// <summary>The exact bytes of the <c>info</c> dictionary.</summary>
    public ReadOnlyMemory<byte> InfoBytes { get; private init; }

    /// <summary>v1 <c>pieces</c> (empty for v2).</summary>
    public ReadOnlyMemory<byte> Sha1Pieces { get; private init; }

    /// <summary>v2 <c>pieces root</c> (empty for v1).</summary>
    public ReadOnlyMemory<byte> PiecesRoot { get; private init; }

    /// <summary>v2 piece layer for this file (empty for v1 or files of at most one piece).</summary>
    public ReadOnlyMemory<byte> PieceLayer { get; private init; }

    public string? Announce { get; private init; }

    public IReadOnlyList<IReadOnlyList<string>> AnnounceList { get; private init; } = [];

    public IReadOnlyList<string> UrlList { get; private init; } = [];

    public DateTimeOffset? CreationDate { get; private init; }

    public string? CreatedBy { get; private init; }

    /// <summary>Parses a .torrent or throws <see cref="TorrentFileException"/> with a typed reason.</summary>
    public static TorrentFile Parse(ReadOnlySpan<byte> data)
    {
        var bytes = data.ToArray();
        if (!BencodeReader.TryDecode(bytes, out var value, out var bencodeError, out var offset))
        {
            throw new TorrentFileException(new BencodeException(bencodeError, offset));
        }

        if (value is not BDictionary root)
        {
            throw new TorrentFileException(TorrentFileError.NotADictionary, null, "A .torrent must be a dictionary.");
        }

        var info = Required<BDictionary>(root, "info");
        var name = Required<BString>(info, "name").Value;
        var pieceLength = Required<BInteger>(info, "piece length").Value;
        if (pieceLength <= 0 || pieceLength > PieceLengthRule.MaxPieceLength)
        {
            throw Invalid("piece length", "Piece length out of range.");
        }

        var hasV1 = info.ContainsKey("pieces"u8);
        var hasV2 = info.ContainsKey("meta version"u8);
        if (!hasV1 && !hasV2)
        {
            throw new TorrentFileException(TorrentFileError.MissingKey, "pieces", "Neither v1 'pieces' nor v2 'meta version'.");
        }

        if (info.ContainsKey("files"u8))
        {
            throw new TorrentFileException(TorrentFileError.MultiFileNotSupported, "files", "Multi-file torrents are not supported.");
        }

        long length = -1;
        ReadOnlyMemory<byte> sha1Pieces = default;
        if (hasV1)
        {
            length = Required<BInteger>(info, "length").Value;
            if (length < 0)
            {
                throw Invalid("length", "Negative length.");
            }

            sha1Pieces = Required<BString>(info, "pieces").Value;
            if (sha1Pieces.Length % 20 != 0 || sha1Pieces.Length / 20 != PieceLengthRule.PieceCount(length, pieceLength))
            {
                throw Invalid("pieces", "'pieces' must hold 20 bytes per piece.");
            }
        }

        ReadOnlyMemory<byte> piecesRoot = default;
        ReadOnlyMemory<byte> pieceLayer = default;
        if (hasV2)
        {
            (var v2Length, piecesRoot) = ParseFileTree(info, name.Span, pieceLength);
            if (hasV1 && v2Length != length)
            {
                throw new TorrentFileException(TorrentFileError.InconsistentHybrid, "length", "v1 and v2 lengths differ.");
            }

            length = v2Length;
            pieceLayer = ParsePieceLayer(root, length, pieceLength, piecesRoot);
        }

        var format = hasV1 && hasV2 ? TorrentFormat.Hybrid : hasV1 ? TorrentFormat.V1 : TorrentFormat.V2;
        return new TorrentFile
        {
            Format = format,
            Name = name,
            Length = length,
            PieceLength = pieceLength,
            InfoBytes = info.Raw,
            InfoHashes = InfoHashes.Compute(info.Raw.Span, format),
            Sha1Pieces = sha1Pieces,
            PiecesRoot = piecesRoot,
            PieceLayer = pieceLayer,
            Announce = Optional<BString>(root, "announce")?.ToString(),
            AnnounceList = ParseAnnounceList(root),
            UrlList = ParseUrlList(root),
            CreationDate = Optional<BInteger>(root, "creation date") is { } date && date.Value is >= -62135596800 and <= 253402300799
                ? DateTimeOffset.FromUnixTimeSeconds(date.Value)
                : null,
            CreatedBy = Optional<BString>(root, "created by")?.ToString(),
        };
    }

    private static (long Length, ReadOnlyMemory<byte> Root) ParseFileTree(BDictionary info, ReadOnlySpan<byte> name, long pieceLength)
    {
        if (Required<BInteger>(info, "meta version").Value != 2)
        {
            throw Invalid("meta version", "Only meta version 2 is supported.");
        }

        if (!PieceLengthRule.IsValid(pieceLength))
        {
            throw Invalid("piece length", "v2 piece length must be a power of two of at least 16 KiB.");
        }

        var tree = Required<BDictionary>(info, "file tree");
        if (tree.Count != 1 || !tree.Entries[0].Key.Span.SequenceEqual(name) || tree.Entries[0].Value is not BDictionary node)
        {
            throw new TorrentFileException(TorrentFileError.MultiFileNotSupported, "file tree", "Expected a file tree with one file named like 'name'.");
        }

        if (node.Count != 1 || node.Get<BDictionary>(""u8) is not { } file)
        {
            throw new TorrentFileException(TorrentFileError.MultiFileNotSupported, "file tree", "Directories are not supported.");
        }

        var length = Required<BInteger>(file, "length").Value;
        if (length < 0)
        {
            throw Invalid("length", "Negative length.");
        }

        if (length == 0)
        {
            return (0, default);
        }

        var root = Required<BString>(file, "pieces root").Value;
        if (root.Length != 32)
        {
            throw Invalid("pieces root", "'pieces root' must be 32 bytes.");
        }

        return (length, root);
    }

    private static ReadOnlyMemory<byte> ParsePieceLayer(BDictionary root, long length, long pieceLength, ReadOnlyMemory<byte> piecesRoot)
    {
        if (length <= pieceLength)
        {
            return default;
        }

        if (root.Get<BDictionary>("piece layers"u8) is not { } layers
            || layers.Get<BString>(piecesRoot.Span) is not { } entry)
        {
            throw new TorrentFileException(TorrentFileError.InvalidPieceLayers, "piece layers", "No piece layer for the file.");
        }

        var pieces = PieceLengthRule.PieceCount(length, pieceLength);
        if (entry.Value.Length % MerkleTree.HashSize != 0 || entry.Value.Length / MerkleTree.HashSize != pieces)
        {
            throw new TorrentFileException(TorrentFileError.InvalidPieceLayers, "piece layers", "The piece layer must hold 32 bytes per piece.");
        }

        var work = entry.Value.ToArray();
        Span<byte> computed = stackalloc byte[MerkleTree.HashSize];
        MerkleTree.ComputeRoot(work, (int)pieces, MerkleTree.LeafCountFor(pieces), MerkleTree.ZeroSubtreeRoot(pieceLength / PieceLengthRule.BlockSize), computed);
        if (!computed.SequenceEqual(piecesRoot.Span))
        {
            throw new TorrentFileException(TorrentFileError.InvalidPieceLayers, "piece layers", "The piece layer does not hash to 'pieces root'.");
        }

        return entry.Value;
    }

    private static List<IReadOnlyList<string>> ParseAnnounceList(BDictionary root)
    {
        var tiers = new List<IReadOnlyList<string>>();
        if (!root.TryGetValue("announce-list"u8, out var value))
        {
            return tiers;
        }

        if (value is not BList list)
        {
            throw WrongType("announce-list");
        }

        foreach (var tierValue in list.Items)
        {
            if (tierValue is not BList tier || tier.Items.Any(url => url is not BString))
            {
                throw WrongType("announce-list");
            }

            tiers.Add([.. tier.Items.Select(url => url.ToString()!)]);
        }

        return tiers;
    }

    private static List<string> ParseUrlList(BDictionary root)
    {
        if (!root.TryGetValue("url-list"u8, out var value))
        {
            return [];
        }

        return value switch
        {
            BString single when single.Value.IsEmpty => [],
            BString single => [single.ToString()],
            BList list when list.Items.All(url => url is BString) => [.. list.Items.Select(url => url.ToString()!)],
            _ => throw WrongType("url-list"),
        };
    }

    private static T Required<T>(BDictionary dictionary, string key)
        where T : BValue
    {
        if (!dictionary.TryGetValue(Encoding.UTF8.GetBytes(key), out var value))
        {
            throw new TorrentFileException(TorrentFileError.MissingKey, key, "Missing key.");
        }

        return value as T ?? throw WrongType(key);
    }

    private static T? Optional<T>(BDictionary dictionary, string key)
        where T : BValue
    {
        if (!dictionary.TryGetValue(Encoding.UTF8.GetBytes(key), out var value))
        {
            return null;
        }

        return value as T ?? throw WrongType(key);
    }

    private static TorrentFileException WrongType(string key)
        => new(TorrentFileError.WrongType, key, "Wrong value type.");

    private static TorrentFileException Invalid(string key, string message)
        => new(TorrentFileError.InvalidValue, key, message);
}
