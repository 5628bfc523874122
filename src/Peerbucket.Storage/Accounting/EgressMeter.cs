using System.Collections.Concurrent;

namespace Peerbucket.Storage.Accounting;

/// <summary>
/// The publisher's ledger, per object and in total: origin egress by <see cref="EgressPath"/> (what the publisher pays
/// for), and what the swarm reported (bytes peers downloaded, completed downloads; what the swarm saved them). The
/// counters run from the figures restored at start (<see cref="Restore"/>, kept in the metadata store) and each
/// <see cref="TakeChanges"/> hands out what was added since the last one, for persisting.
/// Per-object counters are kept for at most <see cref="MaxObjects"/> objects (bounded memory); figures of objects past
/// that still count in the totals.
/// </summary>
public sealed class EgressMeter(int maxObjects = EgressMeter.DefaultMaxObjects)
{
    public const int DefaultMaxObjects = 10_000;
    private static readonly int Slots = Enum.GetValues<LedgerEntry>().Length;
    private readonly ConcurrentDictionary<(string Bucket, string Key), Counters> _objects = new();
    private readonly Counters _totals = new(Slots);
    private long _untracked;

    public int MaxObjects => maxObjects;

    /// <summary>Egress bytes not attributed to an object because <see cref="MaxObjects"/> were tracked already.</summary>
    public long UntrackedBytes => Interlocked.Read(ref _untracked);

    public void Add(string bucket, string key, EgressPath path, long bytes)
    {
        if (bytes > 0 && !Count(bucket, key, (LedgerEntry)path, bytes))
        {
            Interlocked.Add(ref _untracked, bytes);
        }
    }

    /// <summary>Bytes a peer reported having downloaded since its previous announce (BEP 3 <c>downloaded</c>).</summary>
    public void AddPeerDownloaded(string bucket, string key, long bytes)
    {
        if (bytes > 0)
        {
            Count(bucket, key, LedgerEntry.PeerDownloaded, bytes);
        }
    }

    /// <summary>A peer announced <c>event=completed</c>: one download of the whole object finished.</summary>
    public void AddCompletedDownload(string bucket, string key) => Count(bucket, key, LedgerEntry.CompletedDownloads, 1);

    public long Total(EgressPath path) => Total((LedgerEntry)path);

    public long Total(LedgerEntry entry) => _totals.Read(entry);

    public long For(string bucket, string key, EgressPath path) => For(bucket, key, (LedgerEntry)path);

    public long For(string bucket, string key, LedgerEntry entry) =>
        _objects.TryGetValue((bucket, key), out var counters) ? counters.Read(entry) : 0;

    /// <summary>A snapshot of every tracked object's counters, ordered by bucket then key (ordinal).</summary>
    public IReadOnlyList<ObjectEgress> Snapshot() =>
        _objects.Select(pair => pair.Value.ToRow(pair.Key.Bucket, pair.Key.Key))
            .OrderBy(o => o.Bucket, StringComparer.Ordinal)
            .ThenBy(o => o.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Starts the counters from persisted figures (before any traffic): <paramref name="totals"/> for the totals (its
    /// <see cref="ObjectEgress.Bucket"/> is ignored) and up to <see cref="MaxObjects"/> objects.
    /// </summary>
    public void Restore(ObjectEgress? totals, IEnumerable<ObjectEgress> objects)
    {
        if (totals is not null)
        {
            _totals.Restore(totals);
        }

        foreach (var row in objects)
        {
            if (_objects.Count >= maxObjects)
            {
                break;
            }

            _objects.GetOrAdd((row.Bucket, row.Key), _ => new Counters(Slots)).Restore(row);
        }
    }

    /// <summary>
    /// What was added since the previous call (or since <see cref="Restore"/>): the totals' change, and each object's
    /// whose counters moved. Meant for one caller at a time (the persisting loop).
    /// </summary>
    public (ObjectEgress Totals, IReadOnlyList<ObjectEgress> Objects) TakeChanges()
    {
        var objects = new List<ObjectEgress>();
        foreach (var (id, counters) in _objects)
        {
            if (counters.TakeChange(id.Bucket, id.Key) is { } change)
            {
                objects.Add(change);
            }
        }

        return (_totals.TakeChange("", "") ?? new ObjectEgress("", "", 0, 0, 0, 0), objects);
    }

    private bool Count(string bucket, string key, LedgerEntry entry, long amount)
    {
        _totals.Add(entry, amount);
        if (!_objects.TryGetValue((bucket, key), out var counters))
        {
            if (_objects.Count >= maxObjects)
            {
                return false;
            }

            counters = _objects.GetOrAdd((bucket, key), _ => new Counters(Slots));
        }

        counters.Add(entry, amount);
        return true;
    }

    /// <summary>One object's running counters and the values last handed out by <see cref="TakeChange"/>.</summary>
    private sealed class Counters(int slots)
    {
        private readonly long[] _values = new long[slots];
        private readonly long[] _taken = new long[slots];

        public void Add(LedgerEntry entry, long amount) => Interlocked.Add(ref _values[(int)entry], amount);

        public long Read(LedgerEntry entry) => Interlocked.Read(ref _values[(int)entry]);

        public void Restore(ObjectEgress row)
        {
            for (var i = 0; i < _values.Length; i++)
            {
                var value = row[(LedgerEntry)i];
                Interlocked.Add(ref _values[i], value);
                _taken[i] += value;
            }
        }

        public ObjectEgress? TakeChange(string bucket, string key)
        {
            var change = new long[_values.Length];
            var moved = false;
            for (var i = 0; i < _values.Length; i++)
            {
                var now = Interlocked.Read(ref _values[i]);
                change[i] = now - _taken[i];
                _taken[i] = now;
                moved |= change[i] != 0;
            }

            return moved ? ObjectEgress.From(bucket, key, change) : null;
        }

        public ObjectEgress ToRow(string bucket, string key)
        {
            var values = new long[_values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Interlocked.Read(ref _values[i]);
            }

            return ObjectEgress.From(bucket, key, values);
        }
    }
}
