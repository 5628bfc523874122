namespace Peerbucket.Storage.Content;

/// <summary>
/// The write side of the seam between the store and what is built on an object's bytes (the torrent layer). The
/// store's writers call it; the host wires the implementation.
/// </summary>
public interface IContentIndexer
{
    /// <summary>A hasher for an object stored under <paramref name="key"/> with <paramref name="length"/> bytes;
    /// null when nothing is derived (e.g. a zero-byte object).</summary>
    IContentHasher? CreateHasher(string key, long length);

    /// <summary>The facts of bytes already hashed (<paramref name="facts"/>, from another key) under a new key: the
    /// bytes are the same, the index keys may not be (the name is part of what they hash).</summary>
    ContentFacts Reindex(string key, byte[] facts);
}
