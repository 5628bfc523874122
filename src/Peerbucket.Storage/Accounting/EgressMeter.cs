using System.Collections.Concurrent;

namespace Peerbucket.Storage.Accounting;

/// <summary>
/// Origin egress since start, per object and in total, by <see cref="EgressPath"/>: the figures a publisher pays for.
/// Per-object counters are kept for at most <see cref="MaxObjects"/> objects (bounded memory); bytes of objects past
/// that still count in the totals.
/// </summary>
public sealed class EgressMeter(int maxObjects = EgressMeter.DefaultMaxObjects)
{
    public const int DefaultMaxObjects = 10_000;
    private static readonly int PathCount = Enum.GetValues<EgressPath>().Length;
    private readonly ConcurrentDictionary<(string Bucket, string Key), long[]> _objects = new();
    private readonly long[] _totals = new long[PathCount];
    private long _untracked;

    public int MaxObjects => maxObjects;

    /// <summary>Bytes not attributed to an object because <see cref="MaxObjects"/> were tracked already.</summary>
    public long UntrackedBytes => Interlocked.Read(ref _untracked);

    public void Add(string bucket, string key, EgressPath path, long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        Interlocked.Add(ref _totals[(int)path], bytes);
        if (!_objects.TryGetValue((bucket, key), out var counters))
        {
            if (_objects.Count >= maxObjects)
            {
                Interlocked.Add(ref _untracked, bytes);
                return;
            }

            counters = _objects.GetOrAdd((bucket, key), _ => new long[PathCount]);
        }

        Interlocked.Add(ref counters[(int)path], bytes);
    }

    public long Total(EgressPath path) => Interlocked.Read(ref _totals[(int)path]);

    public long For(string bucket, string key, EgressPath path) =>
        _objects.TryGetValue((bucket, key), out var counters) ? Interlocked.Read(ref counters[(int)path]) : 0;

    /// <summary>A snapshot of every tracked object's counters, ordered by bucket then key (ordinal).</summary>
    public IReadOnlyList<ObjectEgress> Snapshot() =>
        _objects.Select(pair => new ObjectEgress(pair.Key.Bucket, pair.Key.Key,
                Interlocked.Read(ref pair.Value[(int)EgressPath.Seeder]),
                Interlocked.Read(ref pair.Value[(int)EgressPath.WebSeed]),
                Interlocked.Read(ref pair.Value[(int)EgressPath.RangeGet]),
                Interlocked.Read(ref pair.Value[(int)EgressPath.PlainGet])))
            .OrderBy(o => o.Bucket, StringComparer.Ordinal)
            .ThenBy(o => o.Key, StringComparer.Ordinal)
            .ToList();
}

/// <summary>One object's egress counters at one moment.</summary>
public sealed record ObjectEgress(string Bucket, string Key, long Seeder, long WebSeed, long RangeGet, long PlainGet)
{
    public long this[EgressPath path] => path switch
    {
        EgressPath.Seeder => Seeder,
        EgressPath.WebSeed => WebSeed,
        EgressPath.RangeGet => RangeGet,
        EgressPath.PlainGet => PlainGet,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
    };
}
