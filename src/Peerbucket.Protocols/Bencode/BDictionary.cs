namespace Peerbucket.Protocols.Bencode;

/// <summary>
/// A bencoded dictionary (<c>d...e</c>): entries keyed by raw bytes, strictly sorted by raw byte order.
/// Each value keeps its exact byte range (<see cref="BValue.Raw"/>), e.g. the <c>info</c> bytes for the info-hash.
/// </summary>
internal sealed class BDictionary : BValue
{
    private readonly KeyValuePair<ReadOnlyMemory<byte>, BValue>[] _entries;

    /// <summary>Creates a dictionary; the entries are sorted by raw key bytes, duplicates are rejected.</summary>
    public BDictionary(IEnumerable<KeyValuePair<ReadOnlyMemory<byte>, BValue>> entries, ReadOnlyMemory<byte> raw = default, int offset = 0)
        : this(Sort(entries), raw, offset)
    {
    }

    private BDictionary(KeyValuePair<ReadOnlyMemory<byte>, BValue>[] sortedEntries, ReadOnlyMemory<byte> raw, int offset)
        : base(raw, offset) => _entries = sortedEntries;

    /// <summary>The entries in raw key order.</summary>
    public IReadOnlyList<KeyValuePair<ReadOnlyMemory<byte>, BValue>> Entries => _entries;

    public int Count => _entries.Length;

    public bool TryGetValue(ReadOnlySpan<byte> key, out BValue value)
    {
        int lo = 0, hi = _entries.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = _entries[mid].Key.Span.SequenceCompareTo(key);
            if (c == 0)
            {
                value = _entries[mid].Value;
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        value = null!;
        return false;
    }

    /// <summary>The value for <paramref name="key"/> when it exists and has type <typeparamref name="T"/>; otherwise null.</summary>
    public T? Get<T>(ReadOnlySpan<byte> key)
        where T : BValue
        => TryGetValue(key, out var value) ? value as T : null;

    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGetValue(key, out _);

    /// <summary>Used by the reader, which has already checked that the keys are strictly sorted.</summary>
    internal static BDictionary FromSorted(KeyValuePair<ReadOnlyMemory<byte>, BValue>[] sortedEntries, ReadOnlyMemory<byte> raw, int offset)
        => new(sortedEntries, raw, offset);

    private static KeyValuePair<ReadOnlyMemory<byte>, BValue>[] Sort(IEnumerable<KeyValuePair<ReadOnlyMemory<byte>, BValue>> entries)
    {
        KeyValuePair<ReadOnlyMemory<byte>, BValue>[] sorted = [.. entries];
        Array.Sort(sorted, static (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Key.Span.SequenceEqual(sorted[i].Key.Span))
            {
                throw new ArgumentException("Duplicate dictionary key.", nameof(entries));
            }
        }

        return sorted;
    }
}
