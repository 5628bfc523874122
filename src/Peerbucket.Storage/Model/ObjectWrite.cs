namespace Peerbucket.Storage.Model;

/// <summary>Everything needed to commit a finished blob as the current version of a key.</summary>
/// <param name="Tags">
/// Opaque lookup keys committed with the object and dropped with it (the torrent layer's info-hashes), so the
/// object can be found by them; several objects may share a tag.
/// </param>
public sealed record ObjectWrite(
    string Bucket,
    string Key,
    string ETag,
    ObjectAttributes Attributes,
    IReadOnlyDictionary<string, string> Checksums,
    byte[]? ContentFacts,
    IReadOnlyList<byte[]>? Tags = null);
