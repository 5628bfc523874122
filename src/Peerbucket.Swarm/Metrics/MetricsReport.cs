using Peerbucket.Storage;
using Peerbucket.Storage.Access;
using Peerbucket.Storage.Accounting;
using Peerbucket.Storage.Model;
using Peerbucket.Swarm.Seeder;
using Peerbucket.Swarm.Tracker;

namespace Peerbucket.Swarm.Metrics;

/// <summary>
/// The <c>/_metrics</c> page: origin egress by path (seeder, range GETs, plain GETs) in total and per object, the
/// seeder's connections and close reasons, the tracker's peers. It is anonymous, so an object is named only while the
/// one authorization function lets anyone read it; bytes of private objects count in the totals alone.
/// </summary>
public sealed class MetricsReport(EgressMeter egress, ObjectStore store, SeederStats? seeder = null, ISwarmRegistry? tracker = null)
{
    private static readonly (EgressPath Path, string Label)[] Paths =
        [(EgressPath.Seeder, "seeder"), (EgressPath.WebSeed, "web_seed"), (EgressPath.RangeGet, "range_get"), (EgressPath.PlainGet, "plain_get")];

    public string Render()
    {
        var text = new PrometheusText();
        text.Family("peerbucket_egress_bytes_total", "counter",
            "Object bytes sent since start, all objects, by path: seeder (peer wire), web_seed (the /_seed/ web seed), range_get (S3 Range GETs), plain_get (whole-object GETs).");
        foreach (var (path, label) in Paths)
        {
            text.Sample("peerbucket_egress_bytes_total", egress.Total(path), ("via", label));
        }

        text.Family("peerbucket_object_egress_bytes_total", "counter",
            $"Object bytes sent since start per public object, by path (at most {egress.MaxObjects} objects tracked).");
        var buckets = new Dictionary<string, BucketRecord?>(StringComparer.Ordinal);
        foreach (var obj in egress.Snapshot())
        {
            if (!IsPublic(buckets, obj.Bucket, obj.Key))
            {
                continue;
            }

            foreach (var (path, label) in Paths)
            {
                text.Sample("peerbucket_object_egress_bytes_total", obj[path], ("bucket", obj.Bucket), ("key", obj.Key), ("via", label));
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

    /// <summary>Whether anyone may read the object now; bucket records are looked up once per page.</summary>
    private bool IsPublic(Dictionary<string, BucketRecord?> buckets, string bucketName, string key)
    {
        if (!buckets.TryGetValue(bucketName, out var bucket))
        {
            bucket = store.Buckets.Get(bucketName);
            buckets[bucketName] = bucket;
        }

        var obj = bucket is null ? null : store.Objects.Get(bucketName, key);
        return obj is not null && Authorizer.IsPublic(bucket!, obj);
    }
}
