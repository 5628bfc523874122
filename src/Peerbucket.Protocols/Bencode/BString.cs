using System.Text;

namespace Peerbucket.Protocols.Bencode;

/// <summary>A bencoded byte string (<c>4:spam</c>). Bytes, not text: names may not be UTF-8.</summary>
internal sealed class BString : BValue
{
    public BString(ReadOnlyMemory<byte> value, ReadOnlyMemory<byte> raw = default, int offset = 0)
        : base(raw, offset) => Value = value;

    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The bytes decoded as UTF-8 (invalid sequences become U+FFFD). For display only.</summary>
    public override string ToString() => Encoding.UTF8.GetString(Value.Span);
}
