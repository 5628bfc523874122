namespace Peerbucket.Protocols.Bencode;

/// <summary>A rejected bencoded input: the typed reason and the byte offset where it was found.</summary>
public sealed class BencodeException : FormatException
{
    public BencodeException(BencodeError error, int offset)
        : base($"Invalid bencode: {error} at offset {offset}.")
    {
        Error = error;
        Offset = offset;
    }

    public BencodeError Error { get; }

    public int Offset { get; }
}
