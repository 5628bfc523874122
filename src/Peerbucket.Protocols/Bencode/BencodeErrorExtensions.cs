namespace Peerbucket.Protocols.Bencode;

/// <summary>Helpers over <see cref="BencodeError"/>.</summary>
internal static class BencodeErrorExtensions
{
    /// <summary>True when the input was a valid prefix that simply ended too early.</summary>
    public static bool IsNeedMoreData(this BencodeError error)
        => error is BencodeError.Truncated or BencodeError.StringPastEnd;
}
