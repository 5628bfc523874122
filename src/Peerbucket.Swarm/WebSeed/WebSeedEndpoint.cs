using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Win32.SafeHandles;
using Peerbucket.Protocols.Http;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Blobs;
using Peerbucket.Swarm.Origin;
using Peerbucket.Swarm.Torrents;

namespace Peerbucket.Swarm.WebSeed;

/// <summary>
/// The BEP 19 web seed, named by content: <c>GET /_seed/{info-hash}/{name}</c> serves exactly the bytes of the
/// torrent with that info-hash (v1, or v2 truncated to 20 bytes), with ranges, while the store serves it — so an
/// overwrite answers 404 and no client holding the old torrent ever gets new bytes, and a private object is never
/// reachable here (the served set is the one authorization function's answer). Under the thrifty policy a range
/// that peers can serve is deferred, in the answer each client keeps its web seed through (<see cref="WebSeedClient"/>);
/// a lone downloader, or pieces nobody has been given, get full speed (libtorrent's long ranges up to the requester's
/// share of first copies: <see cref="TakePrefix"/>). Its bytes count as <see cref="EgressPath.WebSeed"/>, apart from S3's ranged GETs.
/// </summary>
public sealed class WebSeedEndpoint(ServedTorrents served, BlobStore blobs, EgressMeter egress, SwarmOrigins origins)
{
    /// <summary>The reserved path prefix (bucket names have no '_', so it never shadows a bucket).</summary>
    public const string PathPrefix = "/_seed/";

    /// <summary>What a deferred client is told to wait, in seconds.</summary>
    public const int RetryAfterSeconds = 10;

    public static bool Handles(PathString path) => path.StartsWithSegments("/_seed", StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext http)
    {
        var response = http.Response;
        response.Headers.Server = "Peerbucket";
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            await PlainAsync(response, StatusCodes.Status405MethodNotAllowed, "the web seed answers GET and HEAD only\n");
            return;
        }

        var rawPath = RequestTarget.Split(http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.ToString()).Path;
        var hash = ParseInfoHash(rawPath);
        var found = hash is null ? null : served.Find(hash);
        var file = found is null ? null : blobs.TryOpenRead(found.Object.BlobId);
        if (found is null || file is null)
        {
            await PlainAsync(response, StatusCodes.Status404NotFound, "no such torrent is served here (deleted, overwritten or not public)\n");
            return;
        }

        using (file)
        {
            var size = found.Object.Size;
            var range = ByteRange.Parse(http.Request.Headers.Range.ToString() is { Length: > 0 } header ? header : null, size, out var unsatisfiable);
            if (unsatisfiable)
            {
                response.Headers.ContentRange = $"bytes */{size}";
                await PlainAsync(response, StatusCodes.Status416RangeNotSatisfiable, "range not satisfiable\n");
                return;
            }

            var span = range ?? new ByteRange(0, size);
            var swarm = span.Length > 0 && origins.IsThrifty(found) ? origins.For(hash!, found) : null;

            var client = WebSeedClients.Of(http);
            var address = http.Connection.RemoteIpAddress?.ToString() ?? "?";
            var tracker = swarm is null ? default : origins.Tracker(hash!);
            var governed = swarm is not null && client == WebSeedClient.Aria2;
            var sendable = span.Length;
            if (swarm is not null && !governed && !swarm.TryTakeRange(address, PieceOf(swarm, span.Start), PieceOf(swarm, span.End), tracker))
            {
                sendable = client == WebSeedClient.Libtorrent ? TakePrefix(swarm, address, span, tracker) : 0;
                if (sendable == 0)
                {
                    await DeferAsync(response, client, found, file, span);
                    return;
                }
            }

            response.Headers.AcceptRanges = "bytes";
            response.Headers.LastModified = found.Object.LastModified.ToString("R", CultureInfo.InvariantCulture);
            response.Headers.ETag = "\"" + Convert.ToHexStringLower(hash!) + "\"";
            response.ContentType = "application/octet-stream";
            response.ContentLength = span.Length;
            if (range is not null)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = $"bytes {span.Start}-{span.End}/{size}";
            }

            if (HttpMethods.IsHead(http.Request.Method) || span.Length == 0)
            {
                return;
            }

            var obj = found.Object;
            var send = new BudgetedSend(response.BodyWriter, file, origins.Budget, UploadThrottle.KeyOf(obj.Bucket, obj.Key),
                bytes => egress.Add(obj.Bucket, obj.Key, EgressPath.WebSeed, bytes),
                TcpProgress.Of(http.Features.Get<IConnectionSocketFeature>()?.Socket));
            if (governed)
            {
                await SendGovernedAsync(send, span, swarm!, address, tracker, http.RequestAborted);
            }
            else if (sendable < span.Length)
            {
                await SendCutShortAsync(http, send, span.Start, sendable);
            }
            else
            {
                await send.SendAsync(span.Start, span.Length, http.RequestAborted);
            }
        }
    }

    /// <summary>
    /// The pieces at the start of <paramref name="span"/> the origin may give now, taken one by one, as bytes from its
    /// start (0 when the first may not be given). libtorrent asks its web seed for up to 16 MiB at once — more first
    /// copies than one downloader's share once a crowd has more than four — so without this a crowd's first copies
    /// would all wait on the seeder's upload.
    /// </summary>
    private static long TakePrefix(SwarmOrigin swarm, string address, ByteRange span, TrackerCounts tracker)
    {
        var end = span.Start;
        for (var piece = PieceOf(swarm, span.Start); piece <= PieceOf(swarm, span.End) && swarm.TryTakeRange(address, piece, piece, tracker); piece++)
        {
            end = Math.Min(span.Start + span.Length, (piece + 1) * swarm.PieceLength);
        }

        return end - span.Start;
    }

    /// <summary>
    /// libtorrent's answer for a range of which only the first <paramref name="length"/> bytes may go now: those bytes
    /// of the 206 it asked for, then the connection ends. libtorrent keeps every piece that arrived whole (and the
    /// part of the next, to resume from), counts a dropped connection as no failure (it backs off a web seed only for
    /// an error status or a wrong range) and connects again within a second, asking for pieces it still lacks.
    /// </summary>
    private static async Task SendCutShortAsync(HttpContext http, BudgetedSend send, long offset, long length)
    {
        await send.SendAsync(offset, length, http.RequestAborted);
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);

        // An abort drops what the server has not yet written and what the client has not acknowledged: the bytes
        // counted as given must arrive first. Done when the socket was found drained twice in a row (the server's output
        // is written in slices), or after CutShortDrain for a client that stopped reading. (Acknowledged bytes stay
        // readable at the client after the abort's reset: Linux returns queued data before the error.)
        var socket = http.Features.Get<IConnectionSocketFeature>()?.Socket;
        var deadline = Environment.TickCount64 + (long)CutShortDrain.TotalMilliseconds;
        for (var drained = 0; socket is not null && drained < 2 && Environment.TickCount64 < deadline;)
        {
            await Task.Delay(10, http.RequestAborted);
            drained = TcpProgress.AllAcknowledged(socket) is false ? 0 : drained + 1;
        }

        http.Abort();
    }

    /// <summary>How long a cut-short answer waits for its bytes to be acknowledged before the connection ends anyway.</summary>
    private static readonly TimeSpan CutShortDrain = TimeSpan.FromSeconds(5);

    /// <summary>"Not now", in the answer each client family keeps its web seed through (see <see cref="WebSeedClient"/>).</summary>
    private async Task DeferAsync(HttpResponse response, WebSeedClient client, ServedTorrent found, SafeFileHandle file, ByteRange span)
    {
        if (client != WebSeedClient.Libtorrent)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await PlainAsync(response, StatusCodes.Status503ServiceUnavailable, "peers have these pieces: fetch them from the swarm\n");
            return;
        }

        // A valid 206 for the first byte only: libtorrent sees another range than it asked for, hands the blocks back
        // to its peers and tries this web seed again after urlseed_wait_retry (30 s), keeping it.
        var obj = found.Object;
        response.StatusCode = StatusCodes.Status206PartialContent;
        response.Headers.AcceptRanges = "bytes";
        response.Headers.ContentRange = $"bytes {span.Start}-{span.Start}/{obj.Size}";
        response.ContentType = "application/octet-stream";
        response.ContentLength = 1;
        await BlobSender.SendAsync(response.BodyWriter, file, span.Start, 1, bytes => egress.Add(obj.Bucket, obj.Key, EgressPath.WebSeed, bytes),
            CancellationToken.None);
    }

    /// <summary>
    /// aria2's answer: the range it asked for, piece by piece — at full speed for pieces the origin may give (a lone
    /// downloader, or pieces no peer was given), slowly for the rest (<see cref="TrickleBytesPerSecond"/>), so aria2
    /// keeps the web seed while its BitTorrent side fetches those pieces from peers.
    /// </summary>
    private static async Task SendGovernedAsync(BudgetedSend send, ByteRange span, SwarmOrigin swarm, string address, TrackerCounts tracker,
        CancellationToken cancellationToken)
    {
        var offset = span.Start;
        var end = span.Start + span.Length;
        while (offset < end)
        {
            var piece = PieceOf(swarm, offset);
            var pieceEnd = Math.Min(end, (piece + 1) * swarm.PieceLength);
            if (swarm.TryTakeRange(address, piece, piece, tracker))
            {
                await send.SendAsync(offset, pieceEnd - offset, cancellationToken);
                offset = pieceEnd;
                continue;
            }

            var chunk = (int)Math.Min(TrickleChunk, pieceEnd - offset);
            await Task.Delay(TimeSpan.FromSeconds((double)chunk / TrickleBytesPerSecond), cancellationToken);
            await send.SendAsync(offset, chunk, cancellationToken);
            offset += chunk;
        }
    }

    /// <summary>How fast a governed stream sends pieces that peers can serve.</summary>
    public const int TrickleBytesPerSecond = 64 * 1024;

    private const int TrickleChunk = 16 * 1024;

    private static int PieceOf(SwarmOrigin swarm, long offset) => (int)(offset / swarm.PieceLength);

    /// <summary>The 20-byte info-hash of <c>/_seed/{40 hex}/...</c>, or null.</summary>
    public static byte[]? ParseInfoHash(string rawPath)
    {
        if (!rawPath.StartsWith(PathPrefix, StringComparison.Ordinal) || rawPath.Length < PathPrefix.Length + 40)
        {
            return null;
        }

        var hex = rawPath.AsSpan(PathPrefix.Length, 40);
        var rest = rawPath.AsSpan(PathPrefix.Length + 40);
        if (!rest.IsEmpty && rest[0] != '/')
        {
            return null;
        }

        var bytes = new byte[20];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == 20 ? bytes : null;
    }

    private static async Task PlainAsync(HttpResponse response, int status, string text)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        var body = System.Text.Encoding.UTF8.GetBytes(text);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body);
    }
}
