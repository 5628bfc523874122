using System.Text;
using Peerbucket.Protocols.Magnet;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.Storage.Content;
using Peerbucket.Storage.Model;

namespace Peerbucket.Swarm.Torrents;

/// <summary>
/// The torrent layer on both sides of the store's content seam: piece hashes and info-hashes computed in the write
/// pass (<see cref="IContentIndexer"/>), and each object's <c>.torrent</c>, magnet link and info-hash headers
/// (<see cref="IContentDocuments"/>). The host wires it under the S3 front end, which knows no torrents.
/// </summary>
public sealed class TorrentContent(TorrentCatalog catalog) : IContentIndexer, IContentDocuments
{
    public const string BtihHeader = "x-peerbucket-btih";
    public const string BtmhHeader = "x-peerbucket-btmh";

    public IContentHasher? CreateHasher(string key, long length) => new TorrentFactsBuilder(key, catalog.PieceLengthFor(length));

    public ContentFacts Reindex(string key, byte[] facts) => new(facts, TorrentCatalog.InfoHashesFor(key, TorrentFacts.Deserialize(facts)));

    public IReadOnlyList<KeyValuePair<string, string>> HeadersFor(ObjectRecord obj)
    {
        var torrent = catalog.TryGetStored(obj, catalog.Settings.DefaultFormat);
        if (torrent is null)
        {
            return [];
        }

        var headers = new List<KeyValuePair<string, string>>(2);
        if (torrent.Hashes.HasV1)
        {
            headers.Add(new(BtihHeader, torrent.Hashes.V1Hex!));
        }

        if (torrent.V2Multihash is { } multihash)
        {
            headers.Add(new(BtmhHeader, multihash));
        }

        return headers;
    }

    public async Task<ContentDocument> GetAsync(ObjectRecord obj, ContentDocumentKind kind, string? format, CancellationToken cancellationToken)
    {
        if (!TryParseFormat(format, catalog.Settings.DefaultFormat, out var parsed))
        {
            return ContentDocument.Failed(ContentDocumentStatus.UnknownFormat);
        }

        var torrent = await catalog.GetAsync(obj, parsed, cancellationToken);
        if (torrent is null)
        {
            return ContentDocument.Failed(ContentDocumentStatus.NoContent);
        }

        var settings = catalog.Settings;
        if (kind == ContentDocumentKind.Torrent)
        {
            return new ContentDocument(ContentDocumentStatus.Ok, torrent.File(obj, settings), "application/x-bittorrent", torrent.Name + ".torrent");
        }

        var magnet = MagnetUri.Build(torrent.Hashes, torrent.Name, torrent.Facts.Length, settings.Trackers,
            [TorrentNames.WebSeedUrl(settings.PublicUrl, torrent)],
            settings.PeerAddress is null ? null : [settings.PeerAddress]);
        return new ContentDocument(ContentDocumentStatus.Ok, Encoding.UTF8.GetBytes(magnet), "text/plain; charset=utf-8");
    }

    /// <summary>The <c>format</c> parameter: absent or empty is <paramref name="fallback"/>; else v1, v2 or hybrid.</summary>
    public static bool TryParseFormat(string? value, TorrentFormat fallback, out TorrentFormat format)
    {
        (var known, format) = value switch
        {
            null or "" => (true, fallback),
            "v1" => (true, TorrentFormat.V1),
            "v2" => (true, TorrentFormat.V2),
            "hybrid" => (true, TorrentFormat.Hybrid),
            _ => (false, fallback),
        };
        return known;
    }
}
