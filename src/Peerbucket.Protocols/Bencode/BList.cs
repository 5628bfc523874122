namespace Peerbucket.Protocols.Bencode;

/// <summary>A bencoded list (<c>l...e</c>).</summary>
internal sealed class BList : BValue
{
    public BList(IReadOnlyList<BValue> items, ReadOnlyMemory<byte> raw = default, int offset = 0)
        : base(raw, offset) => Items = items;

    public IReadOnlyList<BValue> Items { get; }

    public int Count => Items.Count;

    public BValue this[int index] => Items[index];
}
