using System.Diagnostics;
using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Metrics;

/// <summary>
/// The <c>/_metrics</c> page: origin egress by path (seeder, web seed, range GETs, plain GETs) in total and per object,
/// what the swarm reported (bytes downloaded, completed downloads) and what that makes of the origin's share, the
/// seeder's connections and close reasons, the tracker's peers. The ledger figures are kept across restarts. It is anonymous, so an object is named only while the
/// one authorization function lets anyone read it; bytes of private objects count in the totals alone.
/// </summary>
/// <param name="internalErrors">How many requests ended in an unexpected exception (the S3 front end's count).</param>
public sealed class MetricsReport(EgressMeter egress, ObjectStore store, SeederStats? seeder = null, ISwarmRegistry? tracker = null,
    Func<long>? internalErrors = null)
{
    private static readonly (EgressPath Path, string Label)[] Paths =
        [(EgressPath.Seeder, "seeder"), (EgressPath.WebSeed, "web_seed"), (EgressPath.RangeGet, "range_get"), (EgressPath.PlainGet, "plain_get")];

    public string Render()
    {
        var text = new PrometheusText();
        text.Family("peerbucket_egress_bytes_total", "counter",
            "Object bytes the origin sent, all objects, by path: seeder (peer wire), web_seed (the /_seed/ web seed), range_get (S3 Range GETs), plain_get (whole-object GETs).");
        foreach (var (path, label) in Paths)
        {
            text.Sample("peerbucket_egress_bytes_total", egress.Total(path), ("via", label));
        }

        text.Family("peerbucket_peer_downloaded_bytes_total", "counter",
            "Bytes peers reported downloading (sums of announce 'downloaded'), from the origin and from each other, all objects.");
        text.Sample("peerbucket_peer_downloaded_bytes_total", egress.Total(LedgerEntry.PeerDownloaded));
        text.Family("peerbucket_completed_downloads_total", "counter", "Torrent downloads completed (announces with event=completed), all objects.");
        text.Sample("peerbucket_completed_downloads_total", egress.Total(LedgerEntry.CompletedDownloads));

        var objects = new List<(ObjectEgress Ledger, long Size)>();
        var buckets = new Dictionary<string, BucketRecord?>(StringComparer.Ordinal);
        foreach (var obj in egress.Snapshot())
        {
            if (PublicSize(buckets, obj.Bucket, obj.Key) is { } size)
            {
                objects.Add((obj, size));
            }
        }

        text.Family("peerbucket_object_egress_bytes_total", "counter",
            $"Object bytes the origin sent per public object, by path (at most {egress.MaxObjects} objects tracked).");
        foreach (var (obj, _) in objects)
        {
            foreach (var (path, label) in Paths)
            {
                text.Sample("peerbucket_object_egress_bytes_total", obj[path], ("bucket", obj.Bucket), ("key", obj.Key), ("via", label));
            }
        }

        text.Family("peerbucket_object_peer_downloaded_bytes_total", "counter", "Bytes peers reported downloading, per public object.");
        Each(text, objects, "peerbucket_object_peer_downloaded_bytes_total", (obj, _) => obj.PeerDownloaded);
        text.Family("peerbucket_object_completed_downloads_total", "counter", "Torrent downloads completed, per public object.");
        Each(text, objects, "peerbucket_object_completed_downloads_total", (obj, _) => obj.CompletedDownloads);
        text.Family("peerbucket_object_swarm_saved_bytes", "gauge",
            "Bytes peers reported downloading that the origin did not send over the torrent (seeder, web seed): what the swarm carried, per public object.");
        Each(text, objects, "peerbucket_object_swarm_saved_bytes", (obj, _) => Math.Max(0, obj.PeerDownloaded - obj.TorrentEgress));
        text.Family("peerbucket_object_origin_copies_per_download", "gauge",
            "Torrent bytes the origin sent (seeder, web seed) per completed download, in copies of the object's current size; 1 is what plain HTTP costs, lower is better. Only objects with a completed download.");
        foreach (var (obj, size) in objects)
        {
            if (obj.CompletedDownloads > 0 && size > 0)
            {
                text.Sample("peerbucket_object_origin_copies_per_download", (double)obj.TorrentEgress / size / obj.CompletedDownloads,
                    ("bucket", obj.Bucket), ("key", obj.Key));
            }
        }

        text.Family("peerbucket_egress_untracked_bytes_total", "counter", "Bytes of objects beyond the per-object tracking limit.");
        text.Sample("peerbucket_egress_untracked_bytes_total", egress.UntrackedBytes);
        if (seeder is not null)
        {
            WriteSeeder(text, seeder);
        }

        if (tracker is not null)
        {
            text.Family("peerbucket_tracker_peers", "gauge", "Peers the tracker currently knows, over all swarms.");
            text.Sample("peerbucket_tracker_peers", tracker.PeerCount);
        }

        if (internalErrors is not null)
        {
            text.Family("peerbucket_internal_errors_total", "counter",
                "S3 requests answered with InternalError (an unexpected exception, logged with its stack) since start.");
            text.Sample("peerbucket_internal_errors_total", internalErrors());
        }

        ProcessMemory(text);
        return text.ToString();
    }

    private static void WriteSeeder(PrometheusText text, SeederStats seeder)
    {
        text.Family("peerbucket_seeder_connections", "gauge", "Open peer connections of the seeder.");
        text.Sample("peerbucket_seeder_connections", seeder.OpenConnections);
        text.Family("peerbucket_seeder_disconnects_total", "counter", "Peer connections closed since start, by reason.");
        foreach (var reason in Enum.GetValues<DisconnectReason>())
        {
            text.Sample("peerbucket_seeder_disconnects_total", seeder.ClosedFor(reason), ("reason", reason.ToString()));
        }
    }

    private static void Each(PrometheusText text, List<(ObjectEgress Ledger, long Size)> objects, string name, Func<ObjectEgress, long, long> value)
    {
        foreach (var (obj, size) in objects)
        {
            text.Sample(name, value(obj, size), ("bucket", obj.Bucket), ("key", obj.Key));
        }
    }

    /// <summary>The object's size when anyone may read it now, else null; bucket records are looked up once per page.</summary>
    private long? PublicSize(Dictionary<string, BucketRecord?> buckets, string bucketName, string key)
    {
        if (!buckets.TryGetValue(bucketName, out var bucket))
        {
            bucket = store.Buckets.Get(bucketName);
            buckets[bucketName] = bucket;
        }

        var obj = bucket is null ? null : store.Objects.Get(bucketName, key);
        return obj is not null && Authorizer.IsPublic(bucket!, obj) ? obj.Size : null;
    }

    /// <summary>The process's memory, as Prometheus names it, and the .NET heap inside it: what an operator watches for
    /// growth (and bench 10 reads beside RSS).</summary>
    private static void ProcessMemory(PrometheusText text)
    {
        using var self = Process.GetCurrentProcess();
        text.Family("process_resident_memory_bytes", "gauge", "Resident memory of the server process.");
        text.Sample("process_resident_memory_bytes", self.WorkingSet64);
        var gc = GC.GetGCMemoryInfo();
        text.Family("dotnet_gc_heap_size_bytes", "gauge", "Bytes the managed heap holds now (live objects and garbage not yet collected).");
        text.Sample("dotnet_gc_heap_size_bytes", GC.GetTotalMemory(forceFullCollection: false));
        text.Family("dotnet_gc_committed_bytes", "gauge",
            "Memory the garbage collector had committed at the last collection (heap, free space, bookkeeping; 0 before the first).");
        text.Sample("dotnet_gc_committed_bytes", gc.TotalCommittedBytes);
        text.Family("dotnet_gc_pinned_objects", "gauge", "Pinned objects found by the last garbage collection.");
        text.Sample("dotnet_gc_pinned_objects", gc.PinnedObjectsCount);
    }
}
