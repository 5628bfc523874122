namespace Peerbucket.Protocols.Bencode;

/// <summary>Why a bencoded input was rejected. Reported with the byte offset where the problem was found.</summary>
public enum BencodeError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The input ended inside a value (more data would be needed).</summary>
    Truncated,

    /// <summary>A byte string's declared length runs past the end of the input.</summary>
    StringPastEnd,

    /// <summary>A byte that cannot start a value, or an unexpected byte inside a value.</summary>
    UnexpectedByte,

    /// <summary>An integer with no digits (<c>ie</c>, <c>i-e</c>) or a non-digit inside it.</summary>
    InvalidInteger,

    /// <summary>An integer or string length with a leading zero (<c>i03e</c>, <c>04:spam</c>).</summary>
    LeadingZero,

    /// <summary>The integer <c>i-0e</c>.</summary>
    NegativeZero,

    /// <summary>An integer that does not fit a signed 64-bit value.</summary>
    IntegerOverflow,

    /// <summary>A byte-string length that is malformed or exceeds the size limit.</summary>
    InvalidStringLength,

    /// <summary>A dictionary key that is not a byte string.</summary>
    NonStringKey,

    /// <summary>A dictionary key that sorts before the previous key (raw byte order).</summary>
    UnsortedKeys,

    /// <summary>A dictionary key equal to the previous key.</summary>
    DuplicateKey,

    /// <summary>Lists and dictionaries nested deeper than the limit.</summary>
    TooDeep,

    /// <summary>The input is larger than the size limit.</summary>
    TooLarge,

    /// <summary>Bytes remain after the single top-level value.</summary>
    TrailingBytes,
}
