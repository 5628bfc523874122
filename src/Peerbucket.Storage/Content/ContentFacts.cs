namespace Peerbucket.Storage.Content;

/// <summary>
/// What the layer above derives from an object's bytes and name (its torrent facts, in Peerbucket), as the store keeps
/// it: an opaque blob beside the object, and the keys under which other paths find the object (its info-hashes),
/// committed in the same transaction as the object.
/// </summary>
public sealed record ContentFacts(byte[] Bytes, IReadOnlyList<byte[]> IndexKeys);
