namespace Peerbucket.Protocols.Bencode;

/// <summary>Limits checked by <see cref="BencodeReader"/> before any allocation.</summary>
internal sealed record BencodeLimits
{
    /// <summary>64 levels of nesting, 64 MiB of input.</summary>
    public static BencodeLimits Default { get; } = new();

    /// <summary>Largest allowed <see cref="MaxDepth"/> (the reader recurses once per level).</summary>
    public const int DepthCeiling = 512;

    /// <summary>Maximum nesting of lists and dictionaries (the top-level container is depth 1), 1 to 512.</summary>
    public int MaxDepth
    {
        get;
        init => field = value is >= 1 and <= DepthCeiling
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Depth limit must be 1 to {DepthCeiling}.");
    } = 64;

    /// <summary>Maximum input size in bytes (at least 1).</summary>
    public int MaxInputLength
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Size limit must be positive.");
    } = 64 * 1024 * 1024;
}
