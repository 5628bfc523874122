using System.Text;
using Peerbucket.Protocols.Magnet;
using Peerbucket.Protocols.Metainfo;
using Peerbucket.S3.Errors;
using Peerbucket.S3.Http;
using Peerbucket.S3.Routing;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Metrics;

namespace Peerbucket.Swarm.Torrents;

/// <summary>The torrent layer inside the S3 front end: facts at write time, ?torrent, ?magnet, info-hash headers.</summary>
public sealed class TorrentExtension(TorrentCatalog catalog, ServedTorrents served, EgressMeter egress) : IS3Extension
{
    public const string BtihHeader = "x-peerbucket-btih";
    public const string BtmhHeader = "x-peerbucket-btmh";

    public IContentFacts? CreateFacts(long length) => new TorrentFactsBuilder(catalog.PieceLengthFor(length));

    public IReadOnlyList<byte[]> TagsFor(string key, byte[]? facts) => TorrentCatalog.TagsFor(key, facts);

    public void DecorateObjectResponse(S3Request request, ObjectRecord obj)
    {
        var torrent = catalog.TryGetStored(obj, catalog.Settings.DefaultFormat);
        if (torrent is null)
        {
            return;
        }

        if (torrent.Hashes.HasV1)
        {
            request.Response.Headers[BtihHeader] = torrent.Hashes.V1Hex;
        }

        if (torrent.V2Multihash is { } multihash)
        {
            request.Response.Headers[BtmhHeader] = multihash;
        }
    }

    public async Task WriteSubresourceAsync(S3Request request, ObjectRecord obj)
    {
        var format = Format(request.Route.Query.Get("format"));
        var torrent = await catalog.GetAsync(obj, format, request.Aborted)
            ?? throw new S3Exception(S3ErrorCode.InvalidRequest,
                "A zero-byte object has no torrent (BitTorrent clients reject empty torrents); download it with a plain GET.");
        var settings = catalog.Settings;
        byte[] body;
        if (request.Route.Operation == S3Operation.GetObjectTorrent)
        {
            body = torrent.File(obj, settings);
            request.Response.ContentType = "application/x-bittorrent";
            request.Response.Headers.ContentDisposition = TorrentNames.AttachmentDisposition(torrent.Name + ".torrent");
        }
        else
        {
            var magnet = MagnetUri.Build(torrent.Hashes, torrent.Name, torrent.Facts.Length, settings.Trackers,
                [TorrentNames.WebSeedUrl(settings.PublicUrl, obj.Bucket, obj.Key)],
                settings.PeerAddress is null ? null : [settings.PeerAddress]);
            body = Encoding.UTF8.GetBytes(magnet);
            request.Response.ContentType = "text/plain; charset=utf-8";
        }

        request.Response.Headers.LastModified = obj.LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        request.Response.ContentLength = body.Length;
        await request.Response.Body.WriteAsync(body, request.Aborted);
    }

    public void ObjectServed(ObjectRecord obj, long bytes, bool ranged) =>
        egress.Add(obj.Bucket, obj.Key, ranged ? EgressPath.RangeGet : EgressPath.PlainGet, bytes);

    public void ObjectChanged(string bucket, string? key) => served.Invalidate();

    public static TorrentFormat Format(string? value, TorrentFormat fallback) => value switch
    {
        null or "" => fallback,
        "v1" => TorrentFormat.V1,
        "v2" => TorrentFormat.V2,
        "hybrid" => TorrentFormat.Hybrid,
        _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "format must be v1, v2 or hybrid.")
        {
            Details = [new("ArgumentName", "format"), new("ArgumentValue", value)],
        },
    };

    private TorrentFormat Format(string? value) => Format(value, catalog.Settings.DefaultFormat);
}
