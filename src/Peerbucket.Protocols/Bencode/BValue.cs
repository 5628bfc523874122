namespace Peerbucket.Protocols.Bencode;

/// <summary>A decoded bencode value. <see cref="Raw"/> is the exact bytes it was decoded from.</summary>
internal abstract class BValue
{
    private protected BValue(ReadOnlyMemory<byte> raw, int offset)
    {
        Raw = raw;
        Offset = offset;
    }

    /// <summary>The exact encoded bytes of this value as found in the input (empty for values built in code).</summary>
    public ReadOnlyMemory<byte> Raw { get; }

    /// <summary>Offset of <see cref="Raw"/> in the decoded input.</summary>
    public int Offset { get; }

    /// <summary>The byte range of this value in the decoded input.</summary>
    public Range Range => new(Offset, Offset + Raw.Length);
}
