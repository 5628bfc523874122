namespace Peerbucket.Protocols.Bencode;

/// <summary>Limits checked by <see cref="BencodeReader"/> before any allocation.</summary>
public sealed record BencodeLimits
{
    /// <summary>64 levels of nesting, 64 MiB of input.</summary>
    public static BencodeLimits Default { get; } = new();

    /// <summary>Maximum nesting of lists and dictionaries (the top-level container is depth 1).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum input size in bytes.</summary>
    public int MaxInputLength { get; init; } = 64 * 1024 * 1024;
}
