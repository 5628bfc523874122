namespace Peerbucket.Protocols.Bencode;

/// <summary>A bencoded integer (<c>i42e</c>).</summary>
internal sealed class BInteger : BValue
{
    public BInteger(long value, ReadOnlyMemory<byte> raw = default, int offset = 0)
        : base(raw, offset) => Value = value;

    public long Value { get; }
}
