using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Peerbucket.Protocols.Http;
using Peerbucket.Protocols.Tracker;

namespace Peerbucket.Swarm.Tracker;

/// <summary>HTTP tracker: GET /announce (BEP 3, 23, 7) and GET /scrape (BEP 48); failures are 200 + `failure reason`.</summary>
public sealed class TrackerHttpEndpoint(TrackerService tracker)
{
    public async Task HandleAsync(HttpContext http)
    {
        var (path, rawQuery) = RequestTarget.Split(http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.Path + http.Request.QueryString));
        var output = new ArrayBufferWriter<byte>(512);
        http.Response.ContentType = "text/plain";
        http.Response.Headers.CacheControl = "no-cache";
        if (path == "/announce")
        {
            Announce(http, rawQuery, output);
        }
        else if (path == "/scrape")
        {
            Scrape(rawQuery, output);
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            TrackerReplyWriter.Failure(output, "not a tracker path: use /announce or /scrape");
        }

        http.Response.ContentLength = output.WrittenCount;
        await http.Response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted);
    }

    /// <summary>Answers any tracker request with a failure (e.g. too many connections from the client's address).</summary>
    public static async Task RefuseAsync(HttpContext http, string reason)
    {
        var output = new ArrayBufferWriter<byte>(128);
        TrackerReplyWriter.Failure(output, reason);
        http.Response.ContentType = "text/plain";
        http.Response.ContentLength = output.WrittenCount;
        await http.Response.Body.WriteAsync(output.WrittenMemory, http.RequestAborted);
    }

    private void Announce(HttpContext http, string rawQuery, ArrayBufferWriter<byte> output)
    {
        if (!AnnounceQueryParser.TryParse(rawQuery, out var request, out var failure))
        {
            TrackerReplyWriter.Failure(output, failure);
            return;
        }

        var source = http.Connection.RemoteIpAddress ?? System.Net.IPAddress.Loopback;
        var outcome = tracker.Announce(request, source, http.Request.Headers["X-Forwarded-For"].ToString());
        if (outcome.Failed)
        {
            TrackerReplyWriter.Failure(output, outcome.Failure);
            return;
        }

        TrackerReplyWriter.Announce(output, tracker.Options.Interval, tracker.Options.MinInterval, outcome.Seeders, outcome.Leechers,
            outcome.Peers, request.Compact, request.NoPeerId);
    }

    private void Scrape(string rawQuery, ArrayBufferWriter<byte> output)
    {
        if (!ScrapeQueryParser.TryParse(rawQuery, out var hashes, out var failure))
        {
            TrackerReplyWriter.Failure(output, failure);
            return;
        }

        var files = tracker.Scrape(hashes);
        if (files is null)
        {
            TrackerReplyWriter.Failure(output, TrackerFailure.UnknownTorrent);
            return;
        }

        TrackerReplyWriter.Scrape(output, files);
    }
}
